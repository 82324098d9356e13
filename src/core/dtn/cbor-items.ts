import { encode } from 'cbor2';

/**
 * cbor2 encodes single items (always in preferred, i.e. shortest, form); these options make it
 * refuse anything a bundle must never contain rather than silently emitting it.
 */
const OPTIONS = { rejectFloats: true, rejectUndefined: true, rejectBigInts: true, sortKeys: null } as const;

export function encodeItem(value: unknown): Uint8Array {
  return encode(value, OPTIONS);
}

/**
 * cbor2 encodes Uint8Array subclasses (Node's Buffer) through toJSON as a map, so byte strings
 * are handed over as plain Uint8Array views.
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** -0 is an integer to JavaScript but a float to CBOR encoders. */
export function int(n: number): number {
  return n + 0;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
