/** Longest string built by hand: past this, one TextDecoder call is cheaper than a loop. */
export const SHORT_ASCII_MAX = 64;

/**
 * `bytes[at .. at+len)` as a string when it is short and plain ASCII, else undefined (the caller then
 * uses TextDecoder). Automerge's wasm glue calls this for every string it hands to JS (vite.config.ts
 * says why): ASCII bytes are their own UTF-16 code units, so no decoding is needed and none can fail.
 */
/** Reused for every call: V8 spreads a packed array of small integers into fromCharCode cheaply. */
const codes: number[] = [];

export function shortAscii(bytes: Uint8Array, at: number, len: number): string | undefined {
  if (len > SHORT_ASCII_MAX) return undefined;
  codes.length = len;
  for (let i = 0; i < len; i++) {
    const b = bytes[at + i];
    if (b >= 0x80) return undefined;
    codes[i] = b;
  }
  // One call over the codes, not a string grown a character at a time (that garbage cost more than it saved).
  return String.fromCharCode.apply(null, codes);
}
