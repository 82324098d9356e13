import { randomBytes } from 'node:crypto';
import { decode, encode } from 'cbor2';
import { Decoder, Encoder, itemOf, type CodedSymbol, type Item } from './riblt.ts';
import { SummaryError } from './summary-vector.ts';

/**
 * Set reconciliation of the bundles two relays hold (issue #20): instead of every id it holds (about
 * 40 bytes each: 4 MB at 100,000 bundles, on every contact), each side streams coded symbols of its ids
 * (riblt.ts, 20 bytes each), and the other learns which of its own bundles the sender lacks after about
 * 1.5 symbols per difference, asking for more until it knows. Ids are hashed with a salt the sender
 * picks per contact (`itemOfId`).
 *
 * Messages to `<node>routing`, CBOR:
 * - `{t: 'sketch', salt, n, from, sym}`: symbols `from…` of the sender's stream (`n`: how many it holds);
 * - `{t: 'sketch-more', salt, upTo}`: the receiver asks for the stream up to `upTo`;
 * - `{t: 'summary-please'}`: the receiver gives up (more symbols would weigh more than the sender's
 *   summary vector, or symbols that do not decode) and asks for that summary vector (summary-vector.ts).
 * A store whose whole summary vector weighs no more than a first sketch sends that instead, marked as
 * from a relay that reads sketches (so the peer owes no summary back).
 */
export type SketchMessage =
  | { kind: 'sketch'; salt: Uint8Array; n: number; from: number; symbols: CodedSymbol[] }
  | { kind: 'sketch-more'; salt: Uint8Array; upTo: number }
  | { kind: 'summary-please' };

const SALT_BYTES = 16;
const SYMBOL_BYTES = 20;
/** Symbols in a contact's first sketch: identical stores decode from the first one; a few dozen differences from these. */
export const FIRST_SYMBOLS = 64;
/** About what a first sketch weighs: a store whose whole summary vector is no more sends that instead. */
export const FIRST_SKETCH_BYTES = FIRST_SYMBOLS * SYMBOL_BYTES + 64;
/** Past this many symbols of one stream the receiver asks for the summary vector instead (2 MB). */
export const MAX_STREAM_SYMBOLS = 100_000;
/** Symbols one message carries at most. */
const MAX_MESSAGE_SYMBOLS = 20_000;

/**
 * A bundle id as an item of the set under a contact's salt: two 32-bit MurmurHash3 passes over the id's
 * UTF-16 units, seeded by the salt's words. A keyed hash, not SHA-256: the salt is new each contact, so
 * nobody can aim an id at another bundle's ahead of it (MurmurHash3 has collisions whatever the seed,
 * but only between two inputs one crafts both of: they hide one's own bundle), and a peer could claim to
 * hold anything anyway. SHA-256 through node:crypto cost about 5 µs an id (half a second a side at
 * 100,000 bundles), this about a tenth of that.
 */
export function itemOfId(salt: Uint8Array, id: string): Item {
  const v = new DataView(salt.buffer, salt.byteOffset, salt.byteLength);
  return itemOf(murmur(id, v.getUint32(0)) ^ v.getUint32(8), murmur(id, v.getUint32(4)) ^ v.getUint32(12));
}

function murmur(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    let k = Math.imul(s.charCodeAt(i), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  h ^= s.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function newSalt(): Uint8Array {
  return new Uint8Array(randomBytes(SALT_BYTES));
}

export function encodeSketch(salt: Uint8Array, n: number, from: number, symbols: readonly CodedSymbol[]): Uint8Array {
  const sym = new Uint8Array(SYMBOL_BYTES * symbols.length);
  const v = new DataView(sym.buffer);
  symbols.forEach((s, i) => {
    const at = SYMBOL_BYTES * i;
    v.setUint32(at, s.kh);
    v.setUint32(at + 4, s.kl);
    v.setUint32(at + 8, s.ch);
    v.setUint32(at + 12, s.cl);
    v.setInt32(at + 16, s.count);
  });
  return encode({ t: 'sketch', salt, n, from, sym });
}

export const encodeSketchMore = (salt: Uint8Array, upTo: number): Uint8Array => encode({ t: 'sketch-more', salt, upTo });
export const encodeSummaryPlease = (): Uint8Array => encode({ t: 'summary-please' });

const count = (v: unknown, max: number): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;

/** The checks on a routing payload already decoded from CBOR whose `t` is one of the sketch kinds. */
export function sketchOf(v: unknown): SketchMessage {
  const o = v as { t?: unknown; salt?: unknown; n?: unknown; from?: unknown; sym?: unknown; upTo?: unknown };
  if (o.t === 'summary-please') return { kind: 'summary-please' };
  if (!(o.salt instanceof Uint8Array) || o.salt.length !== SALT_BYTES) throw new SummaryError('sketch: bad salt');
  if (o.t === 'sketch-more') {
    if (!count(o.upTo, MAX_STREAM_SYMBOLS)) throw new SummaryError('sketch-more: bad upTo');
    return { kind: 'sketch-more', salt: o.salt, upTo: o.upTo };
  }
  if (!count(o.n, Number.MAX_SAFE_INTEGER) || !count(o.from, MAX_STREAM_SYMBOLS)) throw new SummaryError('sketch: bad counts');
  const sym = o.sym;
  if (!(sym instanceof Uint8Array) || sym.length % SYMBOL_BYTES !== 0 || sym.length / SYMBOL_BYTES > MAX_MESSAGE_SYMBOLS) throw new SummaryError('sketch: bad symbols');
  const v2 = new DataView(sym.buffer, sym.byteOffset, sym.byteLength);
  const symbols: CodedSymbol[] = [];
  for (let at = 0; at < sym.length; at += SYMBOL_BYTES) {
    symbols.push({ kh: v2.getUint32(at), kl: v2.getUint32(at + 4), ch: v2.getUint32(at + 8), cl: v2.getUint32(at + 12), count: v2.getInt32(at + 16) });
  }
  return { kind: 'sketch', salt: o.salt, n: o.n, from: o.from, symbols };
}

export function isSketchKind(t: unknown): boolean {
  return t === 'sketch' || t === 'sketch-more' || t === 'summary-please';
}

/** What this side streams to one peer: its ids at contact up, coded under its salt. */
export class SketchStream {
  readonly salt = newSalt();
  private readonly encoder: Encoder;
  readonly size: number;

  constructor(ids: readonly string[]) {
    this.size = ids.length;
    this.encoder = new Encoder(ids.map((id) => itemOfId(this.salt, id)));
  }

  /** The next symbols up to `upTo` (at most one message's worth), as a sketch message; undefined when none are due. */
  upTo(upTo: number): Uint8Array | undefined {
    const from = this.encoder.produced;
    const end = Math.min(upTo, MAX_STREAM_SYMBOLS, from + MAX_MESSAGE_SYMBOLS);
    if (end <= from) return undefined;
    const symbols: CodedSymbol[] = [];
    while (this.encoder.produced < end) symbols.push(this.encoder.next());
    return encodeSketch(this.salt, this.size, from, symbols);
  }
}

/** What a peer's stream has told this side so far. */
export type Reading =
  | { state: 'known'; peerLacks: Set<string>; peerHas: Set<string> }
  | { state: 'more'; ask: Uint8Array }
  | { state: 'give-up'; ask: Uint8Array }
  | { state: 'ignored' };

/** Reads one peer's stream against this side's ids (taken when its first symbols arrive). */
export class SketchReading {
  private readonly decoder: Decoder;
  /** This side's ids and their items, in the same order: a decoded item is found by its low word, then compared whole. */
  private readonly ids: readonly string[];
  private readonly items: Item[];
  /** Past this, more symbols would weigh more than the peer's summary vector: ask for that instead. */
  private readonly listBytes: number;

  constructor(
    readonly salt: Uint8Array,
    ids: readonly string[],
    peerSize: number,
    private readonly maxSymbols = MAX_STREAM_SYMBOLS,
  ) {
    this.ids = ids;
    this.items = ids.map((id) => itemOfId(salt, id));
    // What the peer's summary vector would weigh, its ids taken to be as long as ours (CBOR adds about 2 bytes each).
    const idBytes = ids.length > 0 ? ids.reduce((n, id) => n + id.length, 0) / ids.length + 2 : 40;
    this.listBytes = Math.min(peerSize, MAX_STREAM_SYMBOLS * 10) * idBytes + 16;
    // Each peel takes out one difference: more than both sets hold is a hostile stream.
    this.decoder = new Decoder(this.items, 2 * (ids.length + Math.min(peerSize, MAX_STREAM_SYMBOLS)) + 1024);
  }

  take(from: number, symbols: readonly CodedSymbol[]): Reading {
    if (from !== this.decoder.received) return { state: 'ignored' }; // a repeat or a gap: the next ask says where
    for (const s of symbols) this.decoder.add(s);
    if (this.decoder.decode()) {
      // Items only this side holds: the ids the peer lacks (an item that is none of ours came from a hostile stream).
      const lacking = new Map<number, number[]>();
      for (const i of this.decoder.local) lacking.set(i.kl, [...(lacking.get(i.kl) ?? []), i.kh]);
      const peerLacks = new Set<string>();
      this.items.forEach((item, n) => {
        if (lacking.get(item.kl)?.includes(item.kh)) peerLacks.add(this.ids[n]!);
      });
      return { state: 'known', peerLacks, peerHas: new Set(this.ids.filter((id) => !peerLacks.has(id))) };
    }
    const got = this.decoder.received;
    const upTo = Math.min(this.maxSymbols, Math.max(2 * got, got + FIRST_SYMBOLS));
    if (this.decoder.failed || got >= this.maxSymbols || upTo * SYMBOL_BYTES > this.listBytes) return { state: 'give-up', ask: encodeSummaryPlease() };
    return { state: 'more', ask: encodeSketchMore(this.salt, upTo) };
  }
}

/** Decodes a routing payload that is one of the sketch messages (tests and the bench read them raw). */
export function decodeSketch(bytes: Uint8Array): SketchMessage {
  return sketchOf(decode(bytes));
}
