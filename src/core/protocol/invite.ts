import { fromBase64Url, toBase64Url, utf8 } from '../crypto/encoding.ts';
import { isAutomergeUrl } from './automerge-url.ts';
import { isInviteSecret } from './invite-secret.ts';
import { isRetirementDigest } from '../model/retirement.ts';

/**
 * An invite is the community doc's URL plus its name, as one pasteable (and QR-able) string. It also
 * names who gave it: the newcomer sees the community through that person until they vouch for others.
 * And it names the founder (the author of the founding record): the newcomer's phone pins that key, so
 * a founding record someone else writes into the doc later — even one dated earlier — never counts.
 * Invites made before the founder was carried decode without one (the phone then pins the founder it
 * first reads). A link made by an organiser as "a new invite link" also carries a secret (field `s`,
 * invite-secret.ts): once the community lists any link's hash, only such a secret admits a newcomer.
 * Once the founder retired (a founding hub does, model/retirement.ts), an invite names that retirement by
 * its digest (field `r`): the newcomer holds to it, so one signed later and dated earlier by whoever took
 * the founder's key never counts.
 */
export interface Invite {
  url: string;
  name: string;
  inviter?: string;
  founder?: string;
  /** Digest of the founder's retirement the inviter's phone holds to (retirementDigest). */
  retirement?: string;
  secret?: string;
}

/** What an invite says a joiner holds to. */
export type InvitePins = Pick<Invite, 'founder' | 'retirement'>;

export const INVITE_PREFIX = 'spm-invite:';
/** Longest invite text accepted (a QR code holds about this much comfortably). */
const MAX_INVITE_CHARS = 2000;

export function encodeInvite(inv: Invite): string {
  const body = { u: inv.url, n: inv.name, ...(inv.inviter ? { i: inv.inviter } : {}), ...(inv.founder ? { f: inv.founder } : {}), ...(inv.retirement ? { r: inv.retirement } : {}), ...(inv.secret ? { s: inv.secret } : {}) };
  return INVITE_PREFIX + toBase64Url(utf8.encode(JSON.stringify(body)));
}

export function decodeInvite(text: string): Invite | null {
  const t = text.trim();
  if (!t.startsWith(INVITE_PREFIX) || t.length > MAX_INVITE_CHARS) return null;
  try {
    const o = JSON.parse(utf8.decode(fromBase64Url(t.slice(INVITE_PREFIX.length)))) as { u?: unknown; n?: unknown; i?: unknown; f?: unknown; r?: unknown; s?: unknown } | null;
    if (!o || !isAutomergeUrl(o.u)) return null;
    const inv: Invite = { url: o.u, name: typeof o.n === 'string' ? o.n.slice(0, 80) : '' };
    if (isAgentKey(o.i)) inv.inviter = o.i;
    // A founder that is present but malformed is refused, not dropped: joining without the pin the
    // invite meant to give would quietly fall back to trusting whichever founding record comes first.
    if (o.f !== undefined && !isAgentKey(o.f)) return null;
    if (isAgentKey(o.f)) inv.founder = o.f;
    if (o.r !== undefined && !isRetirementDigest(o.r)) return null;
    if (isRetirementDigest(o.r)) inv.retirement = o.r;
    // Likewise a malformed secret: the link would look fine and then never admit anyone.
    if (o.s !== undefined && !isInviteSecret(o.s)) return null;
    if (isInviteSecret(o.s)) inv.secret = o.s;
    return inv;
  } catch {
    return null;
  }
}

/** An ed25519 public key as agent ids spell it (32 bytes, base64url without padding). */
export function isAgentKey(v: unknown): v is string {
  return typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v);
}
