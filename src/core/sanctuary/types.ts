import type { EpochKey, KeyEnvelope } from '../audience/types.ts';
import type { Signed } from '../crypto/sign.ts';
import type { SanctuaryContent } from './content.ts';

export type { Keyring, Rejection } from '../audience/types.ts';

export const SANCTUARY_KINDS = ['housing', 'transport', 'legal', 'medical', 'food'] as const;
export type SanctuaryKind = (typeof SANCTUARY_KINDS)[number];

/**
 * What a steward writes about a place or a service. Lives only inside the ciphertext: relays and
 * members below the sanctuary tier learn neither the kind nor the area.
 */
export interface SanctuaryEntryPlain {
  kind: SanctuaryKind;
  title: string;
  /** People (housing), seats (transport) or cases (legal, medical) at once; 0 = ask. */
  capacity: number;
  languages: string[];
  accessibility: string[];
  /** Coarse area id of the community (never a street). */
  area: string;
  /** How a person in need reaches it, e.g. "ask a steward for Rosa". */
  contactMethod: string;
  /** Exact address: optional, never printed unless asked for. */
  address?: string;
  notes: string;
  /** ms; the entry is hidden from this time on. */
  expires: number;
}

/** Stored in the shared sanctuary doc (`entries[id]`). */
export interface SanctuaryEntryRecord extends Signed {
  type: 'sanctuary-entry';
  id: string;
  /** Epoch of the sanctuary key that sealed `ct`. */
  epoch: number;
  /** base64url, 24 bytes. */
  nonce: string;
  /** base64url secretbox of the padded canonical JSON of a SanctuaryEntryPlain. */
  ct: string;
  created: number;
  updated: number;
}

/** The community's sanctuary key for one epoch (32-byte secretbox key): the `sanctuary` audience's epoch key. */
export type SanctuaryKey = EpochKey;

/**
 * The sanctuary key chain up to `epoch`, boxed from the issuing steward (`author`) to one entitled member
 * (`to`): an envelope of the `sanctuary` audience. Stored in the community doc (`sanctuaryKeys[id]`).
 */
export type SanctuaryKeyEnvelope = KeyEnvelope & { audience: 'sanctuary' };

/** A steward's in-person check of an entry (`verifications[id]` in the sanctuary doc). */
export interface SanctuaryVerification extends Signed {
  type: 'sanctuary-verification';
  id: string;
  /** Id of the entry checked. */
  entry: string;
  /** When the visit happened (ms). */
  at: number;
}

/** An entry this member could open and trust. */
export interface DecryptedEntry {
  id: string;
  /** The steward who wrote its contents (not whoever last re-sealed it). */
  author: string;
  epoch: number;
  created: number;
  updated: number;
  entry: SanctuaryEntryPlain;
  /** The writer's signed content, carried as it is into a new epoch (null: sealed before contents were signed). */
  content?: SanctuaryContent | null;
}

