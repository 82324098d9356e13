import type { RequiredEncodeOptions } from 'cbor2';
import { defaultEncodeOptions, writeUnknown } from 'cbor2/encoder';
// Registers cbor2's encoders for Map, typed arrays etc.; without it (when nothing else imports
// the 'cbor2' root) a Map is silently written as an empty map.
import 'cbor2/types';
import { Writer } from 'cbor2/writer';

/**
 * Items are encoded by cbor2 (always in preferred, i.e. shortest, form). Its writer functions
 * are used directly, with options merged once: cbor2's one-shot `encode()` re-merges options
 * and allocates two 4 KiB chunks per call, which made bundle encoding an order of magnitude
 * slower. The options refuse anything a bundle must never contain.
 */
const OPTIONS: RequiredEncodeOptions = {
  ...defaultEncodeOptions,
  rejectFloats: true,
  rejectUndefined: true,
  rejectBigInts: true,
};

export function newWriter(chunkSize = 64): Writer {
  return new Writer({ chunkSize });
}

export function writeItem(w: Writer, value: unknown): void {
  writeUnknown(value, w, OPTIONS);
}

export function encodeItem(value: unknown): Uint8Array {
  const w = newWriter();
  writeItem(w, value);
  return w.read();
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
