import { fromBase64Url, toBase64Url, utf8 } from '../crypto/encoding.ts';
import { isAutomergeUrl } from './automerge-url.ts';

/**
 * An invite is the community doc's URL plus its name, as one pasteable (and QR-able) string. It also
 * names who gave it: the newcomer sees the community through that person until they vouch for others.
 * And it names the founder (the author of the founding record): the newcomer's phone pins that key, so
 * a founding record someone else writes into the doc later — even one dated earlier — never counts.
 * Invites made before the founder was carried decode without one (the phone then pins the founder it
 * first reads).
 */
export interface Invite {
  url: string;
  name: string;
  inviter?: string;
  founder?: string;
}

export const INVITE_PREFIX = 'spm-invite:';
/** Longest invite text accepted (a QR code holds about this much comfortably). */
const MAX_INVITE_CHARS = 2000;

export function encodeInvite(inv: Invite): string {
  const body = { u: inv.url, n: inv.name, ...(inv.inviter ? { i: inv.inviter } : {}), ...(inv.founder ? { f: inv.founder } : {}) };
  return INVITE_PREFIX + toBase64Url(utf8.encode(JSON.stringify(body)));
}

export function decodeInvite(text: string): Invite | null {
  const t = text.trim();
  if (!t.startsWith(INVITE_PREFIX) || t.length > MAX_INVITE_CHARS) return null;
  try {
    const o = JSON.parse(utf8.decode(fromBase64Url(t.slice(INVITE_PREFIX.length)))) as { u?: unknown; n?: unknown; i?: unknown; f?: unknown } | null;
    if (!o || !isAutomergeUrl(o.u)) return null;
    const inv: Invite = { url: o.u, name: typeof o.n === 'string' ? o.n.slice(0, 80) : '' };
    if (isAgentKey(o.i)) inv.inviter = o.i;
    // A founder that is present but malformed is refused, not dropped: joining without the pin the
    // invite meant to give would quietly fall back to trusting whichever founding record comes first.
    if (o.f !== undefined && !isAgentKey(o.f)) return null;
    if (isAgentKey(o.f)) inv.founder = o.f;
    return inv;
  } catch {
    return null;
  }
}

/** An ed25519 public key as agent ids spell it (32 bytes, base64url without padding). */
export function isAgentKey(v: unknown): v is string {
  return typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v);
}
