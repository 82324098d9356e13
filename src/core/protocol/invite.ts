import { fromBase64Url, toBase64Url, utf8 } from '../crypto/encoding.ts';
import { isAutomergeUrl } from './automerge-url.ts';

/**
 * An invite is the community doc's URL plus its name, as one pasteable (and QR-able) string. It also
 * names who gave it: the newcomer sees the community through that person until they vouch for others.
 */
export interface Invite {
  url: string;
  name: string;
  inviter?: string;
}

export const INVITE_PREFIX = 'spm-invite:';
/** Longest invite text accepted (a QR code holds about this much comfortably). */
const MAX_INVITE_CHARS = 2000;

export function encodeInvite(inv: Invite): string {
  return INVITE_PREFIX + toBase64Url(utf8.encode(JSON.stringify({ u: inv.url, n: inv.name, ...(inv.inviter ? { i: inv.inviter } : {}) })));
}

export function decodeInvite(text: string): Invite | null {
  const t = text.trim();
  if (!t.startsWith(INVITE_PREFIX) || t.length > MAX_INVITE_CHARS) return null;
  try {
    const o = JSON.parse(utf8.decode(fromBase64Url(t.slice(INVITE_PREFIX.length)))) as { u?: unknown; n?: unknown; i?: unknown };
    if (!isAutomergeUrl(o.u)) return null;
    const inv: Invite = { url: o.u, name: typeof o.n === 'string' ? o.n.slice(0, 80) : '' };
    if (typeof o.i === 'string' && /^[A-Za-z0-9_-]{43}$/.test(o.i)) inv.inviter = o.i;
    return inv;
  } catch {
    return null;
  }
}
