/**
 * Plaintexts are padded with zero bytes to a multiple of PAD_BLOCK so that a relay learns only a
 * coarse length: a receipt and a short text look the same. JSON never ends in a zero byte, so the
 * padding is stripped unambiguously.
 */
export const PAD_BLOCK = 256;
export const MAX_PLAINTEXT = 32 * 1024;

export function pad(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil((bytes.length + 1) / PAD_BLOCK) * PAD_BLOCK);
  out.set(bytes);
  return out;
}

export function unpad(bytes: Uint8Array): Uint8Array | null {
  if (bytes.length === 0 || bytes.length % PAD_BLOCK !== 0 || bytes.length > MAX_PLAINTEXT) return null;
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return end === bytes.length ? null : bytes.subarray(0, end);
}
