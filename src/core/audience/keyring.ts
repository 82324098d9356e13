import type { Identity } from '../crypto/keys.ts';
import { verifyRecord } from '../crypto/sign.ts';
import type { Profile } from '../model/types.ts';
import { openEnvelope, isEnvelopeShape } from './envelope.ts';
import { openLegacyEnvelope } from './legacy-envelope.ts';
import { AudienceKeyError, type KeyErrorCode } from './errors.ts';
import { keyId } from './key.ts';
import { asObject } from './shape.ts';
import type { SealedAudience, EpochKey, KeyEnvelope, Keyring, Rejection } from './types.ts';

/** Bounds the trial decryptions per record when stewards rotate at the same time. */
export const MAX_KEYS_PER_EPOCH = 8;

export type KeyRejection = KeyErrorCode | 'issuer-not-steward' | 'too-many-keys' | 'other-audience';

/** May this agent hand out keys? A function of shared, signed data (see communityContext), never of one phone's view. */
export type IsIssuer = (agentId: string) => boolean;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Add a key (pure): keys of one epoch are kept in key-id order, so the first is the same winner everywhere. */
export function addKey(ring: Keyring, k: EpochKey): Keyring {
  const have = ring.get(k.epoch) ?? [];
  const id = keyId(k.key);
  if (have.some((h) => keyId(h) === id) || have.length >= MAX_KEYS_PER_EPOCH) return ring;
  const next = new Map(ring);
  next.set(k.epoch, [...have, k.key].sort((a, b) => cmp(keyId(a), keyId(b))));
  return next;
}

/**
 * The key to seal with: the highest epoch, and among concurrent keys of it the one with the smallest key
 * id — every replica that holds the same keys picks the same one. Null for an empty ring.
 */
export function currentKey(ring: Keyring): EpochKey | null {
  let best: EpochKey | null = null;
  for (const [epoch, keys] of ring) if (keys.length > 0 && (!best || epoch > best.epoch)) best = { epoch, key: keys[0] };
  return best;
}

/** Every key of the ring, oldest epoch first: what a new envelope carries. */
export function chainOf(ring: Keyring): EpochKey[] {
  return [...ring.entries()].sort(([a], [b]) => a - b).flatMap(([epoch, keys]) => keys.map((key) => ({ epoch, key })));
}

/** Key ids of every key in the ring. */
export function kidsOf(ring: Keyring): Set<string> {
  return new Set(chainOf(ring).map((k) => keyId(k.key)));
}

/**
 * Open every envelope of `audience` addressed to `me` whose issuer may hand out keys. Envelopes to
 * others are skipped silently; bad ones to me are reported by id.
 */
export function buildKeyring(
  me: Identity,
  audience: SealedAudience,
  envelopes: Iterable<unknown>,
  profileOf: (agentId: string) => Profile | undefined,
  isIssuer: IsIssuer,
): { keyring: Keyring; rejected: Rejection<KeyRejection>[] } {
  let keyring: Keyring = new Map();
  const rejected: Rejection<KeyRejection>[] = [];
  for (const env of envelopes) {
    const o = asObject(env);
    if (o && o.to !== me.agentId) continue;
    const id = typeof o?.id === 'string' ? o.id : '?';
    if (o && o.type === 'audience-key' && o.audience !== audience) continue;
    // Envelopes written before audience keys existed carry sanctuary keys only.
    const legacy = o?.type === 'sanctuary-key';
    if (legacy && audience !== 'sanctuary') continue;
    try {
      const keys = (legacy ? openLegacyEnvelope : openEnvelope)(me, env, profileOf(String(o?.author)));
      if (!isIssuer(String(o!.author))) {
        rejected.push({ id, reason: 'issuer-not-steward' });
        continue;
      }
      let full = false;
      for (const k of keys) {
        const before = keyring;
        keyring = addKey(keyring, k);
        if (keyring === before && !(before.get(k.epoch) ?? []).some((h) => keyId(h) === keyId(k.key))) full = true;
      }
      if (full) rejected.push({ id, reason: 'too-many-keys' });
    } catch (e) {
      if (!(e instanceof AudienceKeyError)) throw e;
      rejected.push({ id, reason: e.code });
    }
  }
  return { keyring, rejected: rejected.sort((a, b) => cmp(a.id, b.id) || cmp(a.reason, b.reason)) };
}

/**
 * Who holds which key of `audience`, from the public key ids of valid envelopes by issuers: the same
 * answer on every replica, without opening anything. Keyed by recipient agent id.
 */
export function holdings(envelopes: Iterable<unknown>, audience: SealedAudience, isIssuer: IsIssuer, verify: (r: unknown) => boolean = verifyRecord): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const env of envelopes) {
    if (!isEnvelopeShape(env) || env.audience !== audience || !isIssuer(env.author) || !verify(env)) continue;
    const set = out.get(env.to) ?? new Set<string>();
    for (const k of env.kids) set.add(k);
    out.set(env.to, set);
  }
  return out;
}

/** The highest epoch any valid envelope of `audience` names (null when there is none). */
export function latestEpoch(envelopes: Iterable<unknown>, audience: SealedAudience, isIssuer: IsIssuer, verify: (r: unknown) => boolean = verifyRecord): number | null {
  let max: number | null = null;
  for (const env of envelopes) {
    if (isEnvelopeShape(env) && env.audience === audience && isIssuer(env.author) && (max === null || env.epoch > max) && verify(env)) max = env.epoch;
  }
  return max;
}

export type { KeyEnvelope };
