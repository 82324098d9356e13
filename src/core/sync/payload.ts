import { decode, encode } from 'cbor2';
import { SyncPayloadError } from './errors.ts';
import { HASH_BYTES, bytesToHash, hashToBytes } from './heads.ts';

/** One doc this relay can share, as announced at the start of a contact. */
export interface DocSummary {
  doc: string;
  /** Current heads (hex); lets the peer skip docs already in sync. */
  heads: string[];
  /** Community the doc belongs to, so the peer's acceptance policy can decide before any sync. */
  community?: string;
}

export interface DocsPayload {
  t: 'docs';
  docs: DocSummary[];
}

/** One automerge sync message for one doc (contact sync). */
export interface SyncMessagePayload {
  t: 'sync';
  doc: string;
  msg: Uint8Array;
}

/** A carried change-set: everything in `doc` after `deps`, up to `heads`. */
export interface ChangeSetPayload {
  t: 'changes';
  doc: string;
  community: string;
  /** Heads of the doc after these changes (hex). */
  heads: string[];
  /** Heads the emitter had already sent before (hex); the receiver needs them for these to apply. */
  deps: string[];
  /** Bytes for Automerge.loadIncremental. */
  data: Uint8Array;
}

export type SyncPayload = DocsPayload | SyncMessagePayload | ChangeSetPayload;

export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
export const MAX_DOCS_PER_SUMMARY = 10_000;
export const MAX_HEADS = 1024;
const ID = /^[A-Za-z0-9_.~:-]{1,128}$/;
const DECODE_OPTIONS = {
  preferMap: true,
  rejectDuplicateKeys: true,
  rejectStreaming: true,
  rejectUndefined: true,
  ignoreGlobalTags: true,
  maxDepth: 6,
} as const;

export interface DecodeLimits {
  maxBytes?: number;
}

export function encodePayload(p: SyncPayload): Uint8Array {
  return encode(toWire(checkPayload(p)));
}

/** Strict and total: returns a valid payload or throws SyncPayloadError, nothing else. */
export function decodePayload(bytes: Uint8Array, limits: DecodeLimits = {}): SyncPayload {
  const max = limits.maxBytes ?? MAX_PAYLOAD_BYTES;
  if (!(bytes instanceof Uint8Array)) throw new SyncPayloadError('bad-shape', 'payload is not bytes');
  if (bytes.length > max) throw new SyncPayloadError('too-large', `payload is ${bytes.length} bytes, limit ${max}`);
  let value: unknown;
  try {
    value = decode(bytes, DECODE_OPTIONS);
  } catch (err) {
    throw new SyncPayloadError('not-cbor', err instanceof Error ? err.message : 'undecodable');
  }
  try {
    return fromWire(value);
  } catch (err) {
    if (err instanceof SyncPayloadError) throw err;
    throw new SyncPayloadError('bad-shape', 'unexpected structure');
  }
}

function toWire(p: SyncPayload): Record<string, unknown> {
  switch (p.t) {
    case 'docs':
      return { t: 'docs', docs: p.docs.map(summaryToWire) };
    case 'sync':
      return { t: 'sync', doc: p.doc, msg: p.msg };
    case 'changes':
      return {
        t: 'changes',
        doc: p.doc,
        community: p.community,
        heads: p.heads.map(hashToBytes),
        deps: p.deps.map(hashToBytes),
        data: p.data,
      };
  }
}

function summaryToWire(s: DocSummary): Record<string, unknown> {
  const w: Record<string, unknown> = { doc: s.doc, heads: s.heads.map(hashToBytes) };
  if (s.community !== undefined) w.community = s.community;
  return w;
}

function fromWire(value: unknown): SyncPayload {
  const m = asMap(value, 'payload');
  const t = m.get('t');
  if (t === 'docs') {
    keysExactly(m, ['t', 'docs'], []);
    const docs = asArray(m.get('docs'), 'docs', MAX_DOCS_PER_SUMMARY).map(summaryFromWire);
    return { t, docs };
  }
  if (t === 'sync') {
    keysExactly(m, ['t', 'doc', 'msg'], []);
    return { t, doc: asId(m.get('doc'), 'doc'), msg: asBytes(m.get('msg'), 'msg') };
  }
  if (t === 'changes') {
    keysExactly(m, ['t', 'doc', 'community', 'heads', 'deps', 'data'], []);
    return {
      t,
      doc: asId(m.get('doc'), 'doc'),
      community: asId(m.get('community'), 'community'),
      heads: asHeads(m.get('heads'), 'heads'),
      deps: asHeads(m.get('deps'), 'deps'),
      data: asBytes(m.get('data'), 'data'),
    };
  }
  throw new SyncPayloadError('bad-field', 'unknown payload type t');
}

function summaryFromWire(value: unknown): DocSummary {
  const m = asMap(value, 'docs entry');
  keysExactly(m, ['doc', 'heads'], ['community']);
  const s: DocSummary = { doc: asId(m.get('doc'), 'docs entry doc'), heads: asHeads(m.get('heads'), 'docs entry heads') };
  if (m.has('community')) s.community = asId(m.get('community'), 'docs entry community');
  return s;
}

function asMap(v: unknown, what: string): Map<unknown, unknown> {
  if (!(v instanceof Map)) throw new SyncPayloadError('bad-shape', `${what} is not a CBOR map`);
  return v;
}

function keysExactly(m: Map<unknown, unknown>, required: string[], optional: string[]): void {
  for (const k of required) if (!m.has(k)) throw new SyncPayloadError('bad-shape', `missing field ${k}`);
  for (const k of m.keys()) {
    if (typeof k !== 'string' || (!required.includes(k) && !optional.includes(k))) {
      throw new SyncPayloadError('bad-shape', `unexpected field ${String(k).slice(0, 32)}`);
    }
  }
}

function asArray(v: unknown, what: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new SyncPayloadError('bad-field', `${what} is not an array`);
  if (v.length > max) throw new SyncPayloadError('too-large', `${what} has ${v.length} entries, limit ${max}`);
  return v;
}

function asId(v: unknown, what: string): string {
  if (typeof v !== 'string' || !ID.test(v)) throw new SyncPayloadError('bad-field', `${what} is not a valid id`);
  return v;
}

function asBytes(v: unknown, what: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new SyncPayloadError('bad-field', `${what} is not a byte string`);
  if (v.length === 0) throw new SyncPayloadError('bad-field', `${what} is empty`);
  return v;
}

function asHeads(v: unknown, what: string): string[] {
  const items = asArray(v, what, MAX_HEADS);
  const heads = items.map((h) => {
    if (!(h instanceof Uint8Array) || h.length !== HASH_BYTES) {
      throw new SyncPayloadError('bad-field', `${what} entry is not a ${HASH_BYTES}-byte hash`);
    }
    return bytesToHash(h);
  });
  if (new Set(heads).size !== heads.length) throw new SyncPayloadError('bad-field', `${what} has duplicates`);
  return heads;
}

/** Encoding refuses what decoding would refuse, so a bad local payload fails here, not at the peer. */
function checkPayload(p: SyncPayload): SyncPayload {
  if (p.t === 'docs') {
    asArray(p.docs, 'docs', MAX_DOCS_PER_SUMMARY);
    for (const s of p.docs) {
      asId(s.doc, 'docs entry doc');
      checkHeads(s.heads, 'docs entry heads');
      if (s.community !== undefined) asId(s.community, 'docs entry community');
    }
  } else if (p.t === 'sync') {
    asId(p.doc, 'doc');
    asBytes(p.msg, 'msg');
  } else if (p.t === 'changes') {
    asId(p.doc, 'doc');
    asId(p.community, 'community');
    checkHeads(p.heads, 'heads');
    checkHeads(p.deps, 'deps');
    asBytes(p.data, 'data');
  } else {
    throw new SyncPayloadError('bad-field', 'unknown payload type t');
  }
  return p;
}

function checkHeads(heads: string[], what: string): void {
  asArray(heads, what, MAX_HEADS);
  if (new Set(heads).size !== heads.length) throw new SyncPayloadError('bad-field', `${what} has duplicates`);
}
