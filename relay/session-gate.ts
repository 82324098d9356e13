import { createHmac, randomBytes } from 'node:crypto';
import { timingSafeEqual } from 'node:crypto';
import {
  buildChallenge,
  challengeFresh,
  CHALLENGE_MAX_AGE_MS,
  CHALLENGE_FUTURE_MS,
  CHALLENGE_RANDOM_BYTES,
  inviteProof,
  openSession,
  readChallenge,
  SessionAuthError,
} from '../src/core/protocol/session-auth.ts';
import type { JoinDoor } from './join-policy.ts';
import { NonceCache } from './nonce-cache.ts';


/** A phone's sync session once its handshake checked out. */
export interface Session {
  /** The phone's agent id (its ed25519 key). */
  key: string;
  /** The automerge-repo peer id its socket must join with. */
  peer: string;
  /** Doc ids of the community docs this session may read and write. */
  communities: Set<string>;
}

/** What the gate needs to know about the communities served: their doc ids and who is a member. */
export interface ServedView {
  communityDocIds(): string[];
  isMember(communityDocId: string, key: string): boolean;
  /** Removed by the community's organisers: no session for it, whatever invite the key holds. */
  isRemoved(communityDocId: string, key: string): boolean;
  /** Hashes of the invite links that admit newcomers now; empty: the plain invite (URL) admits. */
  inviteHashes(communityDocId: string, now: number): string[];
  /**
   * While a community has no member: the hash of the relay's first-organiser invite (null: none yet,
   * nobody founds it); undefined once it has a member.
   */
  firstOrganiserHash(communityDocId: string): string | null | undefined;
}

/** Challenges a relay may have out at once that were used (the rest cost it nothing). */
const MAX_USED = 100_000;

/**
 * Issues handshake challenges and admits sessions (see src/core/protocol/session-auth.ts for the wire
 * format). Challenges are stateless (a MAC under a per-process secret), used ones are remembered until
 * they expire so none admits twice.
 */
export class SessionGate {
  private readonly secret = randomBytes(32);
  private readonly used = new NonceCache(MAX_USED, CHALLENGE_MAX_AGE_MS + CHALLENGE_FUTURE_MS);

  constructor(
    private readonly served: ServedView,
    /** Whether a community takes newcomers without an invite here (the operator's policy with its signed setting). */
    private readonly door: Pick<JoinDoor, 'openToNewcomers'>,
  ) {}

  private mac(body: Uint8Array): Uint8Array {
    return new Uint8Array(createHmac('sha256', this.secret).update(body).digest());
  }

  challenge(now = Date.now()): string {
    return buildChallenge(now, new Uint8Array(randomBytes(CHALLENGE_RANDOM_BYTES)), (b) => this.mac(b));
  }

  /**
   * Checks a handshake token; throws SessionAuthError with the reason when it does not admit. `local`:
   * the socket comes from the hub machine itself and the relay lets it found a community without the
   * first-organiser invite (first-organiser.ts).
   */
  admit(token: string, now = Date.now(), local = false): Session {
    const r = openSession(token);
    const c = readChallenge(r.challenge);
    const expected = this.mac(c.body).subarray(0, c.mac.length);
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(c.mac))) throw new SessionAuthError('challenge was not made by this relay');
    if (!challengeFresh(c.issuedAt, now)) throw new SessionAuthError('challenge expired');
    const communities = new Set<string>();
    const proofs = new Set(r.proofs);
    for (const id of this.served.communityDocIds()) {
      if (this.served.isRemoved(id, r.author)) continue;
      if (this.door.openToNewcomers(id) || this.served.isMember(id, r.author) || this.invited(r.challenge, id, proofs, now, local)) communities.add(id);
    }
    if (communities.size === 0) throw new SessionAuthError('no invite for a community this relay serves');
    // Last, so a refused token does not use up its challenge (and a full cache cannot lock phones out
    // by tokens that would have been refused anyway).
    if (!this.used.add(r.challenge, now)) throw new SessionAuthError('challenge already used');
    return { key: r.author, peer: r.peer, communities };
  }

  /**
   * Whether `proofs` show an invite that admits a newcomer now: one of the links the organisers list,
   * or, while they list none, the community URL alone (invites made before links had secrets). While
   * the community has no member, only the relay's first-organiser invite, or the URL from the hub machine.
   */
  private invited(challenge: string, id: string, proofs: Set<string>, now: number, local: boolean): boolean {
    const first = this.served.firstOrganiserHash(id);
    if (first !== undefined) return (first !== null && proofs.has(inviteProof(challenge, id, first))) || (local && proofs.has(inviteProof(challenge, id)));
    const hashes = this.served.inviteHashes(id, now);
    if (hashes.length === 0) return proofs.has(inviteProof(challenge, id));
    return hashes.some((h) => proofs.has(inviteProof(challenge, id, h)));
  }
}
