/** Longest string built by hand: past this, one TextDecoder call is cheaper than a loop. */
export const SHORT_ASCII_MAX = 64;

/**
 * `bytes[at .. at+len)` as a string when it is short and plain ASCII, else undefined (the caller then
 * uses TextDecoder). Automerge's wasm glue calls this for every string it hands to JS (vite.config.ts
 * says why): ASCII bytes are their own UTF-16 code units, so no decoding is needed and none can fail.
 */
export function shortAscii(bytes: Uint8Array, at: number, len: number): string | undefined {
  if (len > SHORT_ASCII_MAX) return undefined;
  let s = '';
  for (let i = at, end = at + len; i < end; i++) {
    const b = bytes[i];
    if (b >= 0x80) return undefined;
    s += String.fromCharCode(b);
  }
  return s;
}
