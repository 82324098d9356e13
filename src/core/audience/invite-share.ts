import nacl from 'tweetnacl';
import { unboxFor, boxKeyOf } from './envelope.ts';
import { AudienceKeyError } from './errors.ts';
import { randomId, toBase64Url, utf8 } from '../crypto/encoding.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import { signRecord, verifyRecord, type Signed } from '../crypto/sign.ts';
import { bytesOf } from './shape.ts';
import type { Profile } from '../model/types.ts';
import { activeInviteHashes, inviteSecretHash, isInviteSecret } from '../protocol/invite-secret.ts';

/**
 * An invite link's secret, boxed by the organiser who holds it to one other organiser, so every
 * organiser — not only the one whose phone made the link — can show and share the link that admits.
 * Only the secret's hash is public (the `invites` setting); the box opens with the recipient's box key
 * alone, so a member who is not an organiser, the relay and its disk see only who holds which link.
 * Boxed as audience key envelopes are (envelope.ts): nacl.box from the sender's box key to the
 * recipient's, from profiles each signed, and the whole record signed by the sender.
 */
export interface InviteShare extends Signed {
  type: 'invite-share';
  id: string;
  community: string;
  /** inviteSecretHash of the secret inside: which link this is. */
  hash: string;
  /** Agent id of the organiser it is boxed to. */
  to: string;
  /** base64url, 24 bytes. */
  nonce: string;
  /** base64url nacl.box(secret, recipient's boxKey, sender's box secret key). */
  ct: string;
  created: number;
}

/** Box `secret` to the organiser whose signed profile is `to`. Throws RangeError for a bad secret or profile. */
export function sealInviteShare(me: Identity, community: string, secret: string, to: Profile, now: number, random: (n: number) => Uint8Array = randomBytes): InviteShare {
  if (!isInviteSecret(secret)) throw new RangeError('not an invite secret');
  const boxKey = boxKeyOf(to);
  if (!boxKey) throw new RangeError('recipient profile does not verify or has no box key');
  const nonce = random(nacl.box.nonceLength);
  const ct = nacl.box(utf8.encode(secret), nonce, boxKey, me.boxSecretKey);
  return signRecord<InviteShare>(
    { type: 'invite-share', id: randomId(random), community, hash: inviteSecretHash(secret), author: me.agentId, to: to.author, nonce: toBase64Url(nonce), ct: toBase64Url(ct), created: now },
    me.signSecretKey,
  );
}

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

function isShareShape(v: unknown): v is InviteShare {
  const s = v as Partial<InviteShare> | null;
  return (
    typeof s === 'object' && s !== null && s.type === 'invite-share' && isText(s.id, 64) && isText(s.community, 200) && isText(s.hash, 43) &&
    isText(s.to, 43) && isText(s.author, 43) && isText(s.nonce, 40) && isText(s.ct, 200) && typeof s.created === 'number' && typeof s.sig === 'string' &&
    bytesOf(s.nonce, nacl.box.nonceLength) !== null && bytesOf(s.ct) !== null
  );
}

/**
 * The secret of a share addressed to me, or null: not mine, not from an organiser (`isOrganiser`, from
 * the signed steward set), forged, not opening, or not the secret its hash names. Total over any input.
 */
export function openInviteShare(me: Identity, community: string, share: unknown, profileOf: (agentId: string) => Profile | undefined, isOrganiser: (agentId: string) => boolean): string | null {
  if (!isShareShape(share) || share.community !== community || share.to !== me.agentId || !isOrganiser(share.author)) return null;
  try {
    const secret = utf8.decode(unboxFor(me, share, profileOf(share.author)));
    return isInviteSecret(secret) && inviteSecretHash(secret) === share.hash ? secret : null;
  } catch (err) {
    if (err instanceof AudienceKeyError) return null;
    throw err;
  }
}

/**
 * The active links' secrets I can show: mine (made on this phone) and those organisers boxed to me,
 * of links the settings list as admitting at `now`, by hash.
 */
export function showableSecrets(
  me: Identity,
  community: string,
  invites: Readonly<Record<string, number>> | undefined,
  now: number,
  own: string | undefined,
  shares: Iterable<unknown>,
  profileOf: (agentId: string) => Profile | undefined,
  isOrganiser: (agentId: string) => boolean,
): Map<string, string> {
  const active = new Set(activeInviteHashes(invites, now));
  const out = new Map<string, string>();
  if (own && active.has(inviteSecretHash(own))) out.set(inviteSecretHash(own), own);
  for (const s of shares) {
    const hash = (s as { hash?: unknown } | null)?.hash;
    if (typeof hash !== 'string' || !active.has(hash) || out.has(hash)) continue;
    const secret = openInviteShare(me, community, s, profileOf, isOrganiser);
    if (secret) out.set(hash, secret);
  }
  return out;
}

/**
 * The shares I should write: for each active link whose secret I hold, one to every organiser (their
 * signed profile given) who has no share of it from an organiser yet. Shares from anyone else do not
 * count, so a forged one cannot stand in for the real one.
 */
export function missingShares(
  me: Identity,
  community: string,
  secrets: ReadonlyMap<string, string>,
  organisers: readonly Profile[],
  shares: Iterable<unknown>,
  isOrganiser: (agentId: string) => boolean,
  now: number,
  random?: (n: number) => Uint8Array,
): InviteShare[] {
  const held = new Set<string>();
  for (const s of shares) if (isShareShape(s) && s.community === community && isOrganiser(s.author) && verifyRecord(s)) held.add(`${s.hash}/${s.to}`);
  const out: InviteShare[] = [];
  for (const [hash, secret] of secrets) {
    for (const p of organisers) {
      if (p.author === me.agentId || held.has(`${hash}/${p.author}`)) continue;
      out.push(sealInviteShare(me, community, secret, p, now, random));
    }
  }
  return out;
}
