import { sha512 } from '../crypto/hash.ts';
import { canonicalJson } from '../crypto/canonical.ts';
import { fromBase64Url, toBase64Url, utf8 } from '../crypto/encoding.ts';
import { signRecord, verifyRecord } from '../crypto/sign.ts';

/**
 * The handshake a phone makes before its WebSocket sync is handed to automerge-repo.
 *
 *  1. `GET /api/session` → `{ challenge }`: 40 bytes the relay made, base64url (54 chars):
 *     issued-at (8 bytes, big-endian ms on the RELAY's clock) ‖ 16 random bytes ‖ 16-byte MAC under a
 *     secret only that relay process knows. The relay keeps no state per challenge (a flood of them
 *     costs it nothing); the MAC makes them unforgeable, and the relay judges their age with its own
 *     clock, so a phone whose clock is wrong still gets in.
 *  2. The phone opens `/sync?session=<token>`, where the token is base64url(canonical JSON of a
 *     SessionResponse), signed with the phone's identity key (the same ed25519 key as its agent id).
 *     What is signed is the canonical JSON of every field but `sig`, which includes the domain string
 *     SESSION_DOMAIN: no other record the app signs has that field, so no signature made for a post,
 *     a vouch or a profile can stand in for a session, nor the other way round.
 *  3. The relay checks: exact shape, canonical spelling (a token has exactly one valid text),
 *     signature, challenge MAC, challenge age ≤ CHALLENGE_MAX_AGE_MS (with CHALLENGE_FUTURE_MS of
 *     slack for its own clock stepping), and that the challenge was not used before (single use).
 *     It then binds `peer` (the automerge-repo peer id the socket must join with) to `author`.
 *
 * `proofs` show which communities the phone was invited to without naming them on the wire: each is
 * inviteProof(challenge, communityDocId), which only someone who holds the community's URL (the
 * invite) can compute, and which is useless with any other challenge. An invite link with a secret
 * adds inviteProof(challenge, communityDocId, hash of the secret) (invite-secret.ts): the relay checks
 * it against the link hashes the community's organisers listed, and once any is listed, only such a
 * proof admits a newcomer. The phone sends both kinds; a relay takes whichever the community calls for.
 */
export const SESSION_DOMAIN = 'solarpunk-mesh/sync-session/v1';
export const INVITE_PROOF_DOMAIN = 'solarpunk-mesh/invite-proof/v1';
/** Proofs of an invite link's secret: another domain, so no proof of one kind stands for the other. */
export const INVITE_SECRET_PROOF_DOMAIN = 'solarpunk-mesh/invite-proof/v2';
export const SESSION_PATH = '/api/session';
export const SESSION_QUERY = 'session';

export const CHALLENGE_BYTES = 40;
export const CHALLENGE_RANDOM_BYTES = 16;
export const CHALLENGE_MAC_BYTES = 16;
/** A challenge is good for this long after the relay made it: one round trip, with room for a slow phone. */
export const CHALLENGE_MAX_AGE_MS = 60_000;
/** The relay's clock may step back a little between issuing and checking (NTP on a mesh node). */
export const CHALLENGE_FUTURE_MS = 5_000;
/** More invitations than this in one handshake is not a phone. */
export const MAX_PROOFS = 8;
/** A token longer than this is refused before it is decoded. */
export const MAX_TOKEN_CHARS = 2048;
/** automerge-repo peer ids are short random strings; anything else is refused. */
const PEER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const KEY = /^[A-Za-z0-9_-]{43}$/;
const SIG = /^[A-Za-z0-9_-]{86}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{54}$/;
const PROOF = /^[A-Za-z0-9_-]{43}$/;

export interface SessionResponse {
  domain: typeof SESSION_DOMAIN;
  challenge: string;
  /** The automerge-repo peer id this socket will join with. */
  peer: string;
  /** The phone's agent id (ed25519 public key, base64url). */
  author: string;
  proofs: string[];
  sig: string;
}

export class SessionAuthError extends Error {
  override name = 'SessionAuthError';
}

/** Lays out a challenge; the MAC is the relay's (a platform HMAC), computed over issued-at ‖ random. */
export function buildChallenge(issuedAt: number, random: Uint8Array, mac: (body: Uint8Array) => Uint8Array): string {
  if (random.length !== CHALLENGE_RANDOM_BYTES) throw new SessionAuthError('challenge random must be 16 bytes');
  const body = new Uint8Array(8 + CHALLENGE_RANDOM_BYTES);
  new DataView(body.buffer).setBigUint64(0, BigInt(Math.max(0, Math.floor(issuedAt))));
  body.set(random, 8);
  const tag = mac(body).subarray(0, CHALLENGE_MAC_BYTES);
  const out = new Uint8Array(CHALLENGE_BYTES);
  out.set(body);
  out.set(tag, body.length);
  return toBase64Url(out);
}

/** The parts of a challenge, for the relay to check its MAC and age. */
export function readChallenge(challenge: string): { issuedAt: number; body: Uint8Array; mac: Uint8Array } {
  if (!CHALLENGE.test(challenge)) throw new SessionAuthError('not a challenge');
  const bytes = fromBase64Url(challenge);
  if (bytes.length !== CHALLENGE_BYTES) throw new SessionAuthError('not a challenge');
  const body = bytes.subarray(0, 8 + CHALLENGE_RANDOM_BYTES);
  const issuedAt = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0));
  return { issuedAt, body, mac: bytes.subarray(8 + CHALLENGE_RANDOM_BYTES) };
}

/** Whether a challenge issued at `issuedAt` is still fresh at `now` (both on the relay's clock). */
export function challengeFresh(issuedAt: number, now: number): boolean {
  return issuedAt <= now + CHALLENGE_FUTURE_MS && now - issuedAt <= CHALLENGE_MAX_AGE_MS;
}

/**
 * Proof of holding a community's URL (the invite), bound to one challenge; with `secretHash`, proof of
 * holding that invite link's secret too. 32 bytes, base64url.
 */
export function inviteProof(challenge: string, communityDocId: string, secretHash?: string): string {
  const text = secretHash === undefined ? `${INVITE_PROOF_DOMAIN}\n${challenge}\n${communityDocId}` : `${INVITE_SECRET_PROOF_DOMAIN}\n${challenge}\n${communityDocId}\n${secretHash}`;
  return toBase64Url(sha512(utf8.encode(text)).subarray(0, 32));
}

/** A community a phone was invited to: its doc id, and the hash of its invite link's secret if it had one. */
export interface HeldInvite {
  docId: string;
  secretHash?: string;
}

const proofsOf = (challenge: string, inv: string | HeldInvite): string[] => {
  const held = typeof inv === 'string' ? { docId: inv } : inv;
  const plain = inviteProof(challenge, held.docId);
  return held.secretHash === undefined ? [plain] : [plain, inviteProof(challenge, held.docId, held.secretHash)];
};

export interface SessionSigner {
  agentId: string;
  signSecretKey: Uint8Array;
}

/** The phone's side: answers a challenge for automerge-repo peer `peer`, proving the invites it holds. */
export function signSession(me: SessionSigner, challenge: string, peer: string, communityDocIds: readonly (string | HeldInvite)[]): string {
  if (!PEER_ID.test(peer)) throw new SessionAuthError('peer id not allowed');
  const record = signRecord<SessionResponse>(
    {
      domain: SESSION_DOMAIN,
      challenge,
      peer,
      author: me.agentId,
      proofs: communityDocIds.flatMap((inv) => proofsOf(challenge, inv)).slice(0, MAX_PROOFS),
    },
    me.signSecretKey,
  );
  return toBase64Url(utf8.encode(canonicalJson(record)));
}

const FIELDS = ['author', 'challenge', 'domain', 'peer', 'proofs', 'sig'].join(',');

/**
 * The relay's side, first half: shape, canonical spelling and signature. The caller then checks the
 * challenge (MAC, age, single use) and the proofs against what it serves. Throws SessionAuthError.
 */
export function openSession(token: string): SessionResponse {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_CHARS) throw new SessionAuthError('no session token');
  let text: string;
  let value: unknown;
  try {
    text = utf8.decode(fromBase64Url(token));
    value = JSON.parse(text);
  } catch {
    throw new SessionAuthError('session token is not base64url JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SessionAuthError('session token is not an object');
  const r = value as Record<string, unknown>;
  if (Object.keys(r).sort().join(',') !== FIELDS) throw new SessionAuthError('session token has the wrong fields');
  if (r.domain !== SESSION_DOMAIN) throw new SessionAuthError('not a session token');
  if (typeof r.challenge !== 'string' || !CHALLENGE.test(r.challenge)) throw new SessionAuthError('bad challenge');
  if (typeof r.peer !== 'string' || !PEER_ID.test(r.peer)) throw new SessionAuthError('bad peer id');
  if (typeof r.author !== 'string' || !KEY.test(r.author)) throw new SessionAuthError('bad key');
  if (typeof r.sig !== 'string' || !SIG.test(r.sig)) throw new SessionAuthError('bad signature');
  const proofs = r.proofs;
  if (!Array.isArray(proofs) || proofs.length > MAX_PROOFS || !proofs.every((p) => typeof p === 'string' && PROOF.test(p))) throw new SessionAuthError('bad invite proofs');
  // One text per token: a different spelling of the same fields (spaces, escapes, key order) is refused.
  if (canonicalJson(r) !== text) throw new SessionAuthError('session token is not canonical');
  if (!verifyRecord(r)) throw new SessionAuthError('session signature does not verify');
  return r as unknown as SessionResponse;
}
