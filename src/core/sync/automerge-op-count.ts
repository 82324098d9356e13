import { Inflate } from 'fflate';
import { LebReader, Malformed } from './leb-reader.ts';

/**
 * How many ops Automerge would take in from bytes a stranger sent, counted without handing them to
 * Automerge. The relay needs this before it applies anything: Automerge materialises every op it takes
 * in, so one sync message of long text strings (one op per character) or a run-length-encoded bomb (a
 * million identical ops in a few bytes) exhausts its wasm memory, and from then on every doc on the
 * relay fails. Automerge's own decodeChange would build a JS object per op, which is the same bomb.
 *
 * The count reads only column headers and run lengths (Automerge binary format: chunk header, then
 * columns of run-length-encoded rows). An op is a row of the ops columns; the count is the most rows of
 * any one column, an upper bound on what Automerge iterates. A document chunk (what a sync message
 * carries when the other side has nothing yet) and a bundle (a run of changes, as relays carry them)
 * count their change-metadata rows too, and a document its successors (deletes are not rows there).
 * What cannot be read (bytes that do not parse, a chunk kind this does not read, such as prefixed
 * bundles) counts as Infinity, and compressed parts that inflate past MAX_INFLATED_BYTES as
 * Number.MAX_SAFE_INTEGER: an undercount would let a bomb through, so the caller refuses what it cannot
 * weigh (and can tell "unreadable" from "too much").
 */

const MAGIC = [0x85, 0x6f, 0x4a, 0x83] as const;
const CHUNK = { document: 0, change: 1, compressedChange: 2, bundle: 3 } as const;
const COLUMN_TYPE = { group: 0, actor: 1, integer: 2, delta: 3, boolean: 4, string: 5, valueMeta: 6, value: 7 } as const;
const DEFLATE_BIT = 0b1000;

/**
 * The most ops Automerge is let take in at once: the relay's from a phone's sync message or a peer's
 * change-set or sync message, a phone's from its hub's sync message. Automerge holds a whole load's ops at once, about 350 bytes of wasm memory
 * each: 6.9 million text ops took 2.5 GB and ten million ended the relay's Automerge ("Module
 * terminated"; every doc failed after). 10,000 signed public offers in one feed, sent whole on a
 * phone's first sync, are 3.2 million.
 */
export const MAX_OPS_AT_ONCE = 5_000_000;

/** Decompressed bytes one count may produce: past this the sender is refused, not inflated further. */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/**
 * Deflated parts inflated before a count, by where they sit in the bytes the count reads: a caller with a
 * faster inflater of its own (the phone's native DecompressionStream, which is asynchronous) inflates
 * what `deflatedParts` lists, then counts with them. A part it lacks is inflated here as usual.
 */
export class InflatedAhead {
  private readonly parts = new WeakMap<ArrayBufferLike, Map<string, Uint8Array>>();

  set(part: Uint8Array, inflated: Uint8Array): void {
    const at = this.parts.get(part.buffer) ?? new Map<string, Uint8Array>();
    at.set(`${part.byteOffset}:${part.byteLength}`, inflated);
    this.parts.set(part.buffer, at);
  }

  get(part: Uint8Array): Uint8Array | undefined {
    return this.parts.get(part.buffer)?.get(`${part.byteOffset}:${part.byteLength}`);
  }
}

/** What a count may still inflate; with `collect`, it lists the deflated parts instead (inflating nothing). */
interface Budget {
  inflated: number;
  ahead?: InflatedAhead;
  collect?: Uint8Array[];
}

interface ColumnMeta {
  spec: number;
  length: number;
}

function columnsMeta(r: LebReader): ColumnMeta[] {
  const count = r.uleb();
  if (count > 64) throw new Malformed('more columns than Automerge writes'); // it writes about 15
  const out: ColumnMeta[] = [];
  for (let i = 0; i < count; i++) out.push({ spec: r.uleb(), length: r.uleb() });
  return out;
}

/** Rows in one column's data, stopping early once past `limit`. */
function columnRows(type: number, data: Uint8Array, limit: number): number {
  if (type === COLUMN_TYPE.value) return 0; // raw values: their rows are counted by their metadata column
  const r = new LebReader(data);
  let rows = 0;
  if (type === COLUMN_TYPE.boolean) {
    while (!r.done && rows <= limit) rows += r.uleb(); // alternating run lengths, false first
    return rows;
  }
  const skipValue = type === COLUMN_TYPE.string ? () => r.skip(r.uleb()) : () => r.skipLeb();
  while (!r.done && rows <= limit) {
    const header = r.sleb();
    if (header > 0) {
      rows += header;
      skipValue();
    } else if (header < 0) {
      for (let i = 0; i < -header; i++) skipValue();
      rows -= header;
    } else {
      rows += r.uleb();
    }
  }
  return rows;
}

/**
 * A document chunk's successor group: its count column has a row per op (how many successors each has),
 * its actor and counter columns a row per successor, i.e. per op (a delete, an overwrite) that is not
 * a row of its own.
 */
const DOC_SUCCESSORS = 8;

/**
 * The rows of a column block (its metadata, then its data from `r`'s position): the most rows of any
 * column, plus, with `successors`, the most rows of that group's value columns counted apart.
 */
function rowsOf(meta: ColumnMeta[], r: LebReader, limit: number, budget: Budget, successors?: number): number {
  let most = 0;
  let apart = 0;
  for (const { spec, length } of meta) {
    let data = r.take(length);
    if (spec & DEFLATE_BIT) data = inflate(data, budget);
    const rows = columnRows(spec & 0b111, data, limit);
    if (spec >> 4 === successors && (spec & 0b111) !== COLUMN_TYPE.group) apart = Math.max(apart, rows);
    else most = Math.max(most, rows);
  }
  return most + apart;
}

/**
 * Input fed to the inflater at a time: deflate expands at most about 1,032 times, so no single step
 * produces more than about 4 MiB before the budget is checked. fflate, because the phone counts too
 * (a seized hub could send it the same bomb) and a browser has no synchronous inflate of its own;
 * Node's zlib on the relay would be a second implementation of the same count.
 */
const INFLATE_STEP = 4096;

function inflate(data: Uint8Array, budget: Budget): Uint8Array {
  if (budget.collect) {
    budget.collect.push(data); // listed, not inflated: an empty column counts no rows
    return new Uint8Array(0);
  }
  if (budget.inflated <= 0) throw new RangeError('inflates past the limit');
  const ahead = budget.ahead?.get(data);
  if (ahead) {
    // Charged as if inflated here: the same bound, in the same order.
    if (ahead.byteLength > budget.inflated) throw new RangeError('inflates past the limit');
    budget.inflated -= ahead.byteLength;
    return ahead;
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  const stream = new Inflate((chunk) => {
    size += chunk.byteLength;
    if (size > budget.inflated) throw new RangeError('inflates past the limit');
    parts.push(chunk);
  });
  try {
    for (let at = 0; at < data.byteLength || at === 0; at += INFLATE_STEP) stream.push(data.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= data.byteLength);
  } catch (err) {
    if (err instanceof RangeError) throw err;
    throw new Malformed('bad deflate data');
  }
  budget.inflated -= size;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

function skipActors(r: LebReader): void {
  const n = r.uleb();
  for (let i = 0; i < n; i++) r.skip(r.uleb());
}

function changeOps(r: LebReader, limit: number, budget: Budget): number {
  r.skip(32 * r.uleb()); // dependencies
  r.skip(r.uleb()); // actor
  r.skipLeb(); // seq
  r.skipLeb(); // start op
  r.skipLeb(); // time
  r.skip(r.uleb()); // message
  skipActors(r); // other actors
  return rowsOf(columnsMeta(r), r, limit, budget);
}

function documentOps(r: LebReader, limit: number, budget: Budget): number {
  skipActors(r);
  r.skip(32 * r.uleb()); // heads
  const changeMeta = columnsMeta(r);
  const opsMeta = columnsMeta(r);
  const changes = rowsOf(changeMeta, r, limit, budget);
  return changes + rowsOf(opsMeta, r, limit, budget, DOC_SUCCESSORS);
}

/**
 * A bundle (what Automerge.saveBundle writes, and how relays carry a run of changes): its changes'
 * metadata columns, then its ops columns, each block's data right after its metadata.
 */
function bundleOps(r: LebReader, limit: number, budget: Budget): number {
  r.skip(32 * r.uleb()); // deps
  skipActors(r);
  const changes = rowsOf(columnsMeta(r), r, limit, budget);
  return changes + rowsOf(columnsMeta(r), r, limit, budget);
}

/**
 * Ops in a run of Automerge chunks (save/saveIncremental output, or one change from a sync message).
 * Stops counting once past `limit`; Infinity for what it cannot read (see above).
 */
export function opsInChunks(bytes: Uint8Array, limit = Number.MAX_SAFE_INTEGER, ahead?: InflatedAhead): number {
  return countChunks(bytes, limit, { inflated: MAX_INFLATED_BYTES, ahead });
}

/** The deflated parts a count of `bytes` would inflate, in order, inflating none (for InflatedAhead). */
export function deflatedParts(bytes: Uint8Array): Uint8Array[] {
  const collect: Uint8Array[] = [];
  countChunks(bytes, Number.MAX_SAFE_INTEGER, { inflated: MAX_INFLATED_BYTES, collect });
  return collect;
}

function countChunks(bytes: Uint8Array, limit: number, budget: Budget): number {
  let total = 0;
  const r = new LebReader(bytes);
  try {
    while (!r.done && total <= limit) {
      for (const m of MAGIC) if (r.byte() !== m) throw new Malformed('not an Automerge chunk');
      r.skip(4); // checksum
      const type = r.byte();
      const length = r.uleb();
      const body = r.take(length);
      if (type === CHUNK.change) total += changeOps(new LebReader(body), limit - total, budget);
      else if (type === CHUNK.document) total += documentOps(new LebReader(body), limit - total, budget);
      // Listing parts: a compressed change's own columns are read only once it is inflated (here, later).
      else if (type === CHUNK.compressedChange && budget.collect) inflate(body, budget);
      else if (type === CHUNK.compressedChange) total += changeOps(new LebReader(inflate(body, budget)), limit - total, budget);
      else if (type === CHUNK.bundle) total += bundleOps(new LebReader(body), limit - total, budget);
      else return Infinity;
    }
  } catch (err) {
    if (err instanceof RangeError) return Number.MAX_SAFE_INTEGER;
    if (err instanceof Malformed) return Infinity;
    throw err;
  }
  return total;
}
