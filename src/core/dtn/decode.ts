import { CborReader } from './cbor-reader.ts';
import { blockCrc, crcLength, isCrcType, readCrcValue, type CrcType } from './crc.ts';
import { readEid } from './eid.ts';
import { BundleError } from './errors.ts';
import { decodeExtensionData } from './extension-data.ts';
import {
  BP_VERSION,
  BlockFlags,
  BlockType,
  BundleFlags,
  PAYLOAD_BLOCK_NUMBER,
  type Bundle,
  type ExtensionBlock,
  type PayloadBlock,
  type PrimaryBlock,
} from './types.ts';
import { MAX_BLOCKS, validateBundle } from './validate.ts';

/** An unprocessable block removed because its flags said so (RFC 9171 §4.2.4). */
export interface DiscardedBlock {
  readonly type: number;
  readonly number: number;
  readonly statusReportRequested: boolean;
}

export type DecodeResult =
  | { readonly ok: true; readonly bundle: Bundle; readonly discarded: readonly DiscardedBlock[] }
  /** `id` names the refused bundle (source, creation time, sequence[, fragment offset]) when its primary block could be read. */
  | { readonly ok: false; readonly error: BundleError; readonly id?: string; readonly primary?: PrimaryBlock };

const OPEN_INDEFINITE_ARRAY = 0x9f;

/**
 * Decodes one bundle. Total: never throws, never loops beyond the input, never recurses; every
 * refusal is a BundleError with a code. Byte strings in the result are copies, not views.
 */
export function decodeBundle(bytes: Uint8Array): DecodeResult {
  const seen: { primary?: PrimaryBlock } = {};
  try {
    return { ok: true, ...readBundle(bytes, seen) };
  } catch (e) {
    const error = e instanceof BundleError ? e : new BundleError('internal', `decoder fault: ${e instanceof Error ? e.message : String(e)}`);
    return seen.primary ? { ok: false, error, id: refusedId(seen.primary), primary: seen.primary } : { ok: false, error };
  }
}

/** So a refusal can be logged against the bundle it concerns (its payload length may be unknown). */
function refusedId(p: PrimaryBlock): string {
  const base = `${p.source} ${p.creationTime} ${p.sequence}`;
  return p.fragment ? `${base} ${p.fragment.offset}` : base;
}

/** The throwing variant: returns the bundle or throws the BundleError decodeBundle would return. */
export function decodeBundleOrThrow(bytes: Uint8Array): Bundle {
  const result = decodeBundle(bytes);
  if (!result.ok) throw result.error;
  return result.bundle;
}

interface RawBlock {
  readonly type: number;
  readonly number: number;
  readonly flags: number;
  readonly crcType: CrcType;
  readonly data: Uint8Array;
}

function readBundle(bytes: Uint8Array, seen: { primary?: PrimaryBlock }): { bundle: Bundle; discarded: DiscardedBlock[] } {
  const r = new CborReader(bytes);
  if (r.peekByte('bundle') !== OPEN_INDEFINITE_ARRAY) {
    throw new BundleError('not-indefinite-array', `a bundle starts with 0x9f, not 0x${bytes[0].toString(16).padStart(2, '0')}`);
  }
  r.pos++;
  const primary = readPrimary(r);
  seen.primary = primary;
  const { extensions, payload, discarded } = readCanonicalBlocks(r);
  if (!r.atEnd()) throw new BundleError('trailing-bytes', `${r.remaining} bytes after the bundle's closing break`);
  const bundle: Bundle = { primary, extensions, payload };
  validateBundle(bundle);
  return { bundle, discarded };
}

function readCanonicalBlocks(r: CborReader) {
  const extensions: ExtensionBlock[] = [];
  const discarded: DiscardedBlock[] = [];
  const numbers = new Set<number>();
  let payload: PayloadBlock | undefined;
  let blocks = 1;
  while (!r.readBreak('bundle (no closing break)')) {
    if (payload) throw new BundleError('payload-not-last', 'a block follows the payload block');
    if (++blocks > MAX_BLOCKS) throw new BundleError('too-many-blocks', `more than ${MAX_BLOCKS} blocks`);
    const raw = readCanonical(r);
    checkNumber(raw, numbers);
    if (raw.type === BlockType.Payload) payload = { flags: raw.flags, crcType: raw.crcType, data: raw.data.slice() };
    else classify(raw, extensions, discarded);
  }
  if (!payload) throw new BundleError('missing-payload', 'the bundle has no payload block');
  return { extensions, payload, discarded };
}

function checkNumber(raw: RawBlock, seen: Set<number>): void {
  const detail = { blockType: raw.type, blockNumber: raw.number };
  if (raw.type === 0) throw new BundleError('bad-block-type', 'block type 0 is reserved', detail);
  if ((raw.type === BlockType.Payload) !== (raw.number === PAYLOAD_BLOCK_NUMBER) || raw.number === 0) {
    throw new BundleError('bad-block-number', `block of type ${raw.type} numbered ${raw.number}; only the payload is 1`, detail);
  }
  if (seen.has(raw.number)) throw new BundleError('duplicate-block-number', `block number ${raw.number} used twice`, detail);
  seen.add(raw.number);
}

/** Known types are parsed; unknown ones are kept, dropped or doom the bundle, as their flags say. */
function classify(raw: RawBlock, extensions: ExtensionBlock[], discarded: DiscardedBlock[]): void {
  const header = { number: raw.number, flags: raw.flags, crcType: raw.crcType };
  const known = decodeExtensionData(raw.type, header, raw.data);
  if (known) {
    extensions.push(known);
    return;
  }
  const statusReportRequested = (raw.flags & BlockFlags.ReportIfUnprocessable) !== 0;
  if (raw.flags & BlockFlags.DeleteBundleIfUnprocessable) {
    throw new BundleError('delete-bundle', `block ${raw.number} of unknown type ${raw.type} requires deleting the bundle`, {
      blockType: raw.type,
      blockNumber: raw.number,
      statusReportRequested,
    });
  }
  if (raw.flags & BlockFlags.DiscardIfUnprocessable) {
    discarded.push({ type: raw.type, number: raw.number, statusReportRequested });
    return;
  }
  extensions.push({ kind: 'unknown', type: raw.type, ...header, data: raw.data.slice() });
}

/**
 * A block array's head, definite or indefinite. `close` checks that every item was read: for a
 * definite array that the count was right (checked up front), for an indefinite one that the
 * break follows (consumed, so the CRC covers it).
 */
function openBlock(r: CborReader, what: string, allowed: (n: number) => boolean, describe: string) {
  const count = r.readArrayStart(what);
  if (count !== undefined && !allowed(count)) throw new BundleError('bad-block-length', `${what} has ${count} items, not ${describe}`);
  const mismatch = (expected: number) => () =>
    new BundleError('bad-block-length', `${what} has ${count ?? 'more'} items; its flags and CRC type call for ${expected}`);
  return {
    expect(expected: number): void {
      if (count !== undefined && count !== expected) throw mismatch(expected)();
    },
    close(expected: number): void {
      if (count === undefined) r.expectBreak(what, mismatch(expected));
    },
  };
}

function readPrimary(r: CborReader): PrimaryBlock {
  const start = r.pos;
  const block = openBlock(r, 'primary block', (n) => n >= 8 && n <= 11, '8..11');
  const version = r.readUint('primary block version');
  if (version !== BP_VERSION) throw new BundleError('bad-version', `bundle protocol version ${version}, expected 7`);
  const flags = r.readUint('bundle processing control flags');
  const crcType = readCrcType(r, 'primary block');
  const isFragment = (flags & BundleFlags.IsFragment) !== 0;
  const expected = 8 + (isFragment ? 2 : 0) + (crcType ? 1 : 0);
  block.expect(expected);
  const destination = readEid(r, 'destination EID');
  const source = readEid(r, 'source EID');
  const reportTo = readEid(r, 'report-to EID');
  const closeTimestamp = r.readTuple('creation timestamp', 2, () => new BundleError('bad-block-length', 'creation timestamp must be [time, sequence]'));
  const creationTime = r.readUint('creation time');
  const sequence = r.readUint('sequence number');
  closeTimestamp();
  const lifetimeMs = r.readUint('lifetime');
  const fragment = isFragment ? { offset: r.readUint('fragment offset'), totalAduLength: r.readUint('total ADU length') } : undefined;
  readCrc(r, crcType, start, 'primary block', () => block.close(expected));
  const primary = { flags, crcType, destination, source, reportTo, creationTime, sequence, lifetimeMs };
  return fragment ? { ...primary, fragment } : primary;
}

function readCanonical(r: CborReader): RawBlock {
  const start = r.pos;
  const block = openBlock(r, 'canonical block', (n) => n === 5 || n === 6, '5 or 6');
  const type = r.readUint('block type code');
  const number = r.readUint('block number');
  const flags = r.readUint('block processing control flags');
  const crcType = readCrcType(r, `block ${number}`);
  const expected = crcType ? 6 : 5;
  block.expect(expected);
  const data = r.readBytes(`block ${number} data`);
  readCrc(r, crcType, start, `block ${number}`, () => block.close(expected));
  return { type, number, flags, crcType, data };
}

function readCrcType(r: CborReader, what: string): CrcType {
  const t = r.readUint(`${what} CRC type`);
  if (!isCrcType(t)) throw new BundleError('bad-crc-type', `${what}: CRC type ${t} is not 0, 1 or 2`);
  return t;
}

/** Reads the CRC value (if any), closes the block, then checks the CRC over the whole block. */
function readCrc(r: CborReader, type: CrcType, blockStart: number, what: string, close: () => void): void {
  if (type === 0) return close();
  const value = r.readBytes(`${what} CRC`);
  const n = crcLength(type);
  if (value.length !== n) throw new BundleError('bad-crc', `${what}: CRC value is ${value.length} bytes, expected ${n}`);
  const valueEnd = r.pos;
  close();
  const expected = blockCrc(type, r.bytes, blockStart, r.pos, valueEnd);
  const actual = readCrcValue(r.bytes, valueEnd - n, n);
  if (expected !== actual) {
    throw new BundleError('bad-crc', `${what}: CRC 0x${actual.toString(16)} does not match computed 0x${expected.toString(16)}`);
  }
}
