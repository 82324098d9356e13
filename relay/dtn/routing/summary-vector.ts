import { decode, encode } from 'cbor2';

/**
 * Summary vector (epidemic routing): on contact each side sends the ids of the bundles it holds, and
 * the other sends only what is missing. Bounded so that a hostile peer cannot make us allocate much.
 */
export const MAX_SUMMARY_IDS = 200_000;
const MAX_ID_LENGTH = 512;

export class SummaryError extends Error {
  override name = 'SummaryError';
}

/**
 * `sketches`: this relay reads sketches too (sketch.ts) and sends its summary only because it is the
 * smaller message; relays from before sketches send none and ignore the field.
 */
export function encodeSummary(ids: readonly string[], sketches = false): Uint8Array {
  return encode({ t: 'summary', ids: ids.slice(0, MAX_SUMMARY_IDS), ...(sketches ? { sketches: true } : {}) });
}

/** Whether a decoded summary says its sender reads sketches. */
export const readsSketches = (v: unknown): boolean => (v as { sketches?: unknown }).sketches === true;

export function decodeSummary(bytes: Uint8Array): Set<string> {
  let v: unknown;
  try {
    v = decode(bytes);
  } catch (e) {
    throw new SummaryError(`summary is not CBOR: ${String(e).slice(0, 100)}`);
  }
  return summaryOf(v);
}

/** The checks of decodeSummary on a value already decoded from CBOR (routing-payload.ts decodes once). */
export function summaryOf(v: unknown): Set<string> {
  const o = v as { t?: unknown; ids?: unknown };
  if (typeof v !== 'object' || v === null || o.t !== 'summary' || !Array.isArray(o.ids)) throw new SummaryError('not a summary vector');
  if (o.ids.length > MAX_SUMMARY_IDS) throw new SummaryError('summary vector too long');
  const out = new Set<string>();
  for (const id of o.ids) {
    if (typeof id !== 'string' || id.length > MAX_ID_LENGTH) throw new SummaryError('bad bundle id in summary');
    out.add(id);
  }
  return out;
}
