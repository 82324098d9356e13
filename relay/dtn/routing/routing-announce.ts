import { decode, encode } from 'cbor2';
import { MAX_SUMMARY_IDS, SummaryError } from './summary-vector.ts';

/**
 * What the spray-and-wait and PRoPHET routers send a peer on contact up: the ids they hold (a
 * summary vector, as epidemic routing sends), the endpoints they take delivery for (their node ID and
 * their communities' group endpoints, so the peer knows when it meets a destination), and a table of
 * numbers per key — copy counts per bundle id (spray) or delivery predictabilities per endpoint
 * (PRoPHET). Every length and value is bounded: the payload comes from a peer and may be hostile.
 */
export type AnnounceKind = 'spray' | 'prophet';

export interface RoutingAnnounce {
  ids: Set<string>;
  serves: Set<string>;
  table: Map<string, number>;
}

const MAX_SERVES = 256;
export const MAX_TABLE = 50_000;
const MAX_KEY_LENGTH = 512;

export function encodeAnnounce(kind: AnnounceKind, a: { ids: readonly string[]; serves: readonly string[]; table: Iterable<[string, number]> }): Uint8Array {
  return encode({ t: kind, ids: a.ids.slice(0, MAX_SUMMARY_IDS), serves: a.serves.slice(0, MAX_SERVES), table: [...a.table].slice(0, MAX_TABLE) });
}

function strings(v: unknown, max: number, what: string): Set<string> {
  if (!Array.isArray(v) || v.length > max) throw new SummaryError(`${what}: not a list of at most ${max}`);
  const out = new Set<string>();
  for (const s of v) {
    if (typeof s !== 'string' || s.length > MAX_KEY_LENGTH) throw new SummaryError(`${what}: bad entry`);
    out.add(s);
  }
  return out;
}

/** Throws SummaryError on anything but a well-formed announce of `kind` whose values pass `valid`. */
export function decodeAnnounce(kind: AnnounceKind, bytes: Uint8Array, valid: (n: number) => boolean): RoutingAnnounce {
  let v: unknown;
  try {
    v = decode(bytes);
  } catch (e) {
    throw new SummaryError(`${kind} announce is not CBOR: ${String(e).slice(0, 100)}`);
  }
  return announceOf(kind, v, valid);
}

/** The checks of decodeAnnounce on a value already decoded from CBOR (routing-payload.ts decodes once). */
export function announceOf(kind: AnnounceKind, v: unknown, valid: (n: number) => boolean): RoutingAnnounce {
  const o = v as { t?: unknown; ids?: unknown; serves?: unknown; table?: unknown };
  if (typeof v !== 'object' || v === null || o.t !== kind) throw new SummaryError(`not a ${kind} announce`);
  const ids = strings(o.ids, MAX_SUMMARY_IDS, 'ids');
  const serves = strings(o.serves, MAX_SERVES, 'serves');
  if (!Array.isArray(o.table) || o.table.length > MAX_TABLE) throw new SummaryError('table: not a list of bounded length');
  const table = new Map<string, number>();
  for (const e of o.table as unknown[]) {
    if (!Array.isArray(e) || e.length !== 2) throw new SummaryError('table: entry is not a pair');
    const [k, n] = e as [unknown, unknown];
    if (typeof k !== 'string' || k.length > MAX_KEY_LENGTH || typeof n !== 'number' || !Number.isFinite(n) || !valid(n)) throw new SummaryError('table: bad entry');
    table.set(k, n);
  }
  return { ids, serves, table };
}

/** Copy counts a spray announce may carry: whole numbers of at least 2 (a node announces only those). */
export const validCopies = (n: number): boolean => Number.isInteger(n) && n >= 2;
/** Delivery predictabilities a PRoPHET announce may carry. */
export const validPredictability = (n: number): boolean => n >= 0 && n <= 1;
