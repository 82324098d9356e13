import { createHash } from 'node:crypto';
import { cleanMeta, metaProblem } from './meta.ts';
import type { BundleMeta } from './types.ts';

/*
 * One bundle = one file:
 *   [0,4)        magic "DTNS"
 *   [4]          format version (1)
 *   [5,9)        N = length of the header JSON, u32 big-endian
 *   [9,9+N)      header JSON {"meta": BundleMeta, "sha256": hex of the payload}
 *   [9+N,41+N)   sha256 of bytes [0,9+N) — lets open() trust a header without reading the payload
 *   [41+N,…)     payload, exactly meta.size bytes
 */
const MAGIC = [0x44, 0x54, 0x4e, 0x53];
const VERSION = 1;
const FIXED = 9;
const DIGEST = 32;
/** Three 4096-char strings, each char escaped to at most 6 bytes, fit with room to spare. */
export const MAX_HEADER_JSON = 128 * 1024;
export const MAX_HEADER_BYTES = FIXED + MAX_HEADER_JSON + DIGEST;
/** Enough to read most headers in one go at open. */
export const HEAD_PROBE = 4096;

export class RecordError extends Error {
  override name = 'RecordError';
}

export interface RecordHeader {
  meta: BundleMeta;
  payloadSha256: string;
  /** offset of the payload = length of everything before it */
  headerBytes: number;
  /** the whole file's expected length */
  fileBytes: number;
}

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** The chunks of a record file, ready to be written in order; payload is not copied. */
export function encodeRecord(
  meta: BundleMeta,
  payload: Uint8Array,
): { chunks: Uint8Array[]; fileBytes: number; meta: BundleMeta } {
  const clean = cleanMeta(meta);
  const json = new TextEncoder().encode(JSON.stringify({ meta: clean, sha256: hex(sha256(payload)) }));
  if (json.length > MAX_HEADER_JSON) throw new RecordError('header too large');
  const head = new Uint8Array(FIXED + json.length + DIGEST);
  head.set(MAGIC, 0);
  head[4] = VERSION;
  new DataView(head.buffer).setUint32(5, json.length);
  head.set(json, FIXED);
  head.set(sha256(head.subarray(0, FIXED + json.length)), FIXED + json.length);
  return { chunks: [head, payload], fileBytes: head.length + payload.length, meta: clean };
}

/** Bytes needed before the header can be parsed: 9 if unknown yet, else the full header length. */
export function headerLengthNeeded(head: Uint8Array): number {
  if (head.length < FIXED) return FIXED;
  const n = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(5);
  return FIXED + n + DIGEST;
}

/** Parse and verify a record's header from the file's first bytes; throws RecordError on anything off. */
export function decodeHeader(head: Uint8Array, fileSize: number): RecordHeader {
  if (head.length < FIXED) throw new RecordError('file shorter than the fixed header');
  for (let i = 0; i < MAGIC.length; i++) if (head[i] !== MAGIC[i]) throw new RecordError('bad magic');
  if (head[4] !== VERSION) throw new RecordError(`unknown format version ${head[4]}`);
  const n = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(5);
  if (n === 0 || n > MAX_HEADER_JSON) throw new RecordError('header length out of range');
  const headerBytes = FIXED + n + DIGEST;
  if (head.length < headerBytes) throw new RecordError('file shorter than its header');
  const want = sha256(head.subarray(0, FIXED + n));
  const got = head.subarray(FIXED + n, headerBytes);
  if (!want.every((b, i) => b === got[i])) throw new RecordError('header checksum mismatch');
  const parsed = parseJson(head.subarray(FIXED, FIXED + n));
  const problem = metaProblem(parsed.meta);
  if (problem) throw new RecordError(`bad meta: ${problem}`);
  if (typeof parsed.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.sha256)) {
    throw new RecordError('bad payload digest');
  }
  const meta = cleanMeta(parsed.meta as BundleMeta);
  const fileBytes = headerBytes + meta.size;
  if (fileSize !== fileBytes) throw new RecordError(`length ${fileSize} != expected ${fileBytes}`);
  return { meta, payloadSha256: parsed.sha256, headerBytes, fileBytes };
}

function parseJson(bytes: Uint8Array): { meta?: unknown; sha256?: unknown } {
  try {
    const v: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (typeof v !== 'object' || v === null) throw new RecordError('header is not an object');
    return v as { meta?: unknown; sha256?: unknown };
  } catch (err) {
    if (err instanceof RecordError) throw err;
    throw new RecordError('header is not valid JSON');
  }
}

/** Verify a whole record file and return its payload (a view, not a copy). */
export function decodeRecord(file: Uint8Array): { header: RecordHeader; payload: Uint8Array } {
  const header = decodeHeader(file, file.length);
  const payload = file.subarray(header.headerBytes);
  if (hex(sha256(payload)) !== header.payloadSha256) throw new RecordError('payload checksum mismatch');
  return { header, payload };
}
