import { fromBase64Url, toBase64Url, utf8 } from '../core/crypto/encoding.ts';

/** An invite is the community doc's URL plus its name, as one pasteable (and QR-able) string. */
export interface Invite {
  url: string;
  name: string;
}

const PREFIX = 'spm-invite:';

export function encodeInvite(inv: Invite): string {
  return PREFIX + toBase64Url(utf8.encode(JSON.stringify({ u: inv.url, n: inv.name })));
}

export function decodeInvite(text: string): Invite | null {
  const t = text.trim();
  if (!t.startsWith(PREFIX) || t.length > 2000) return null;
  try {
    const o = JSON.parse(utf8.decode(fromBase64Url(t.slice(PREFIX.length)))) as { u?: unknown; n?: unknown };
    if (typeof o.u !== 'string' || !/^automerge:[1-9A-HJ-NP-Za-km-z]{20,60}$/.test(o.u)) return null;
    return { url: o.u, name: typeof o.n === 'string' ? o.n.slice(0, 80) : '' };
  } catch {
    return null;
  }
}
