import type { Signed } from '../crypto/sign.ts';

/**
 * Who may read a sealed record (not the routing label of protocol/audience.ts, which says how far a
 * record or bundle travels; a sealed record is sealed whatever its routing). `members`: vouched members only; `sanctuary`: the sanctuary tier;
 * `stewards`: the community's stewards. Public records are not sealed at all.
 */
export const SEALED_AUDIENCES = ['members', 'sanctuary', 'stewards'] as const;
export type SealedAudience = (typeof SEALED_AUDIENCES)[number];

/** An audience's key for one epoch (32-byte secretbox key). */
export interface EpochKey {
  epoch: number;
  key: Uint8Array;
}

/**
 * Keys a member holds for one audience, by epoch; an epoch has several when stewards rotated at once.
 * The map holds the keys that count: what a phone seals with and what an organiser's envelopes hand on.
 * `readOnly` holds keys boxed to this member by someone who hands out no keys now (an organiser since
 * removed, or who lost the vouches that made them one): what was sealed under them stays readable, but
 * nobody seals with them or hands them on, since whoever made them may have made them after they lost
 * the right to.
 */
export type Keyring = ReadonlyMap<number, readonly Uint8Array[]> & { readonly readOnly?: ReadonlyMap<number, readonly Uint8Array[]> };

/**
 * Keys of one audience boxed from a steward (`author`) to one entitled member (`to`). `ct` holds the
 * whole chain — every key of every epoch the issuer held, `epoch` the highest — so a member let in
 * late, or after a rotation, can still read everything written before. `kids` (key ids, see keyId) are
 * public so every replica can tell who holds which key without opening anything.
 */
export interface KeyEnvelope extends Signed {
  type: 'audience-key';
  id: string;
  audience: SealedAudience;
  epoch: number;
  /** Key ids of the chain, in the order boxed. */
  kids: string[];
  /** Agent id of the recipient. */
  to: string;
  /** base64url, 24 bytes. */
  nonce: string;
  /** base64url nacl.box(chain, recipient's boxKey, issuer's box secret key). */
  ct: string;
  created: number;
}

/** What enters an Automerge doc in place of a non-public record: nothing but the audience and the epoch is visible. */
export interface SealedRecord {
  audience: SealedAudience;
  epoch: number;
  /** base64url, 24 bytes. */
  nonce: string;
  /** base64url secretbox of the padded canonical JSON of {audience, record}; the record carries its author's signature. */
  box: string;
}

/** A record a reader ignored, and why (reasons are stable codes, also i18n key suffixes). */
export interface Rejection<R extends string = string> {
  id: string;
  reason: R;
}
