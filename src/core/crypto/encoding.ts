/** base64url without padding: the text form of keys, ids and signatures. */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export class EncodingError extends Error {
  override name = 'EncodingError';
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new EncodingError('not base64url text');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new EncodingError('not base64url text');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  // Only the canonical spelling is accepted: otherwise the unused low bits of the last character let
  // two different texts (say, two signatures) stand for the same bytes.
  if (toBase64Url(out) !== text) throw new EncodingError('not canonical base64url');
  return out;
}

export const utf8 = {
  encode: (s: string): Uint8Array => new TextEncoder().encode(s),
  decode: (b: Uint8Array): string => new TextDecoder().decode(b),
};

/** Random 128-bit id, base64url (22 chars). */
export function randomId(random: (n: number) => Uint8Array): string {
  return toBase64Url(random(16));
}
