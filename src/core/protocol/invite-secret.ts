import { sha512 } from '../crypto/hash.ts';
import { toBase64Url, utf8 } from '../crypto/encoding.ts';

/**
 * The secret an invite link carries, so that an organiser can make a new link and the old ones stop
 * admitting newcomers. Only the secret's hash is written into the community's signed settings
 * (`invites`), so whoever reads the community doc (a member, a relay, its disk) cannot mint a link;
 * a phone proves the secret at the sync handshake without sending it (session-auth.ts inviteProof).
 */
export const INVITE_SECRET_DOMAIN = 'solarpunk-mesh/invite-secret/v1';
/** 16 random bytes, base64url: 22 characters. Longer ones are accepted up to 64 (future formats). */
const SECRET = /^[A-Za-z0-9_-]{22,64}$/;

export function isInviteSecret(v: unknown): v is string {
  return typeof v === 'string' && SECRET.test(v);
}

/** A fresh secret from 16 bytes of `random` (the caller's CSPRNG: core has no platform of its own). */
export function newInviteSecret(random: (n: number) => Uint8Array): string {
  return toBase64Url(random(16));
}

/** The hash listed in the settings: 32 bytes of SHA-512 over domain and secret, base64url (43 chars). */
export function inviteSecretHash(secret: string): string {
  return toBase64Url(sha512(utf8.encode(`${INVITE_SECRET_DOMAIN}\n${secret}`)).subarray(0, 32));
}

/** The hashes of the links that admit newcomers at `now`: listed, and not past their expiry (0 = never). */
export function activeInviteHashes(invites: Readonly<Record<string, number>> | undefined, now: number): string[] {
  return Object.entries(invites ?? {})
    .filter(([, expires]) => expires === 0 || expires > now)
    .map(([hash]) => hash);
}
