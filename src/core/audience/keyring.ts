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

export type KeyRejection = KeyErrorCode | 'too-many-keys' | 'other-audience';

/** May this agent hand out keys? A function of shared, signed data (see communityContext), never of one phone's view. */
export type IsIssuer = (agentId: string) => boolean;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Add a key (pure): keys of one epoch are kept in key-id order, so the first is the same winner everywhere. */
export function addKey(ring: Keyring, k: EpochKey): Keyring {
  const next = addTo(ring, k);
  if (next === ring) return ring;
  return ring.readOnly ? Object.assign(next, { readOnly: ring.readOnly }) : next;
}

function addTo(ring: ReadonlyMap<number, readonly Uint8Array[]>, k: EpochKey): Map<number, readonly Uint8Array[]> | typeof ring {
  const have = ring.get(k.epoch) ?? [];
  const id = keyId(k.key);
  if (have.some((h) => keyId(h) === id) || have.length >= MAX_KEYS_PER_EPOCH) return ring;
  const next = new Map(ring);
  next.set(k.epoch, [...have, k.key].sort((a, b) => cmp(keyId(a), keyId(b))));
  return next;
}

/** Every key a record sealed under `epoch` may open with: the keys that count first, then the read-only ones. */
export function keysToTry(ring: Keyring, epoch: number): readonly Uint8Array[] {
  const counted = ring.get(epoch) ?? [];
  const extra = ring.readOnly?.get(epoch);
  return extra ? [...counted, ...extra] : counted;
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
 * Open every envelope of `audience` addressed to `me`. A key counts when an issuer (a steward now) vouches
 * for it: boxed it to me, or names its key id in a valid envelope to anyone — per key, not per envelope,
 * so a key a former organiser made and a steward then handed on counts on every phone alike (counted on
 * one phone and not another, two members sealed with two different keys). Other keys whose envelope
 * opens are kept read-only (Keyring.readOnly): an organiser removed, or no longer one, leaves members able
 * to read what was sealed under the keys only they handed out. Envelopes to others are skipped silently;
 * bad ones to me are reported by id.
 */
export function buildKeyring(
  me: Identity,
  audience: SealedAudience,
  envelopes: Iterable<unknown>,
  profileOf: (agentId: string) => Profile | undefined,
  isIssuer: IsIssuer,
  verify: (r: unknown) => boolean = verifyRecord,
): { keyring: Keyring; rejected: Rejection<KeyRejection>[] } {
  const all = [...envelopes];
  const endorsed = new Set<string>();
  for (const env of all) {
    if (isEnvelopeShape(env) && env.audience === audience && isIssuer(env.author) && env.kids.some((k) => !endorsed.has(k)) && verify(env)) for (const k of env.kids) endorsed.add(k);
  }
  let counted: Keyring = new Map();
  const readOnly: EpochKey[] = [];
  const rejected: Rejection<KeyRejection>[] = [];
  for (const env of all) {
    const o = asObject(env);
    if (o && o.to !== me.agentId) continue;
    const id = typeof o?.id === 'string' ? o.id : '?';
    if (o && o.type === 'audience-key' && o.audience !== audience) continue;
    // Envelopes written before audience keys existed carry sanctuary keys only.
    const legacy = o?.type === 'sanctuary-key';
    if (legacy && audience !== 'sanctuary') continue;
    try {
      const keys = (legacy ? openLegacyEnvelope : openEnvelope)(me, env, profileOf(String(o?.author)));
      const byIssuer = isIssuer(String(o!.author));
      let full = false;
      for (const k of keys) {
        if (!byIssuer && !endorsed.has(keyId(k.key))) {
          readOnly.push(k);
          continue;
        }
        const before = counted;
        counted = addKey(counted, k);
        if (counted === before && !(before.get(k.epoch) ?? []).some((h) => keyId(h) === keyId(k.key))) full = true;
      }
      if (full) rejected.push({ id, reason: 'too-many-keys' });
    } catch (e) {
      if (!(e instanceof AudienceKeyError)) throw e;
      rejected.push({ id, reason: e.code });
    }
  }
  const kids = kidsOf(counted);
  let extra: ReadonlyMap<number, readonly Uint8Array[]> = new Map();
  for (const k of readOnly) if (!kids.has(keyId(k.key))) extra = addTo(extra, k);
  const keyring: Keyring = extra.size > 0 ? Object.assign(new Map(counted), { readOnly: extra }) : counted;
  return { keyring, rejected: rejected.sort((a, b) => cmp(a.id, b.id) || cmp(a.reason, b.reason)) };
}

/**
 * Who holds which key of `audience` by an issuer's envelope, from the public key ids of valid envelopes:
 * the same answer on every replica, without opening anything. Keyed by recipient agent id. What an
 * organiser's phone must still hand out is judged on this: a former organiser's envelope may carry keys
 * no organiser names (read-only in buildKeyring), so a member is sure of every key only once an issuer's
 * envelope brought it.
 */
export function holdings(envelopes: Iterable<unknown>, audience: SealedAudience, isIssuer: IsIssuer, verify: (r: unknown) => boolean = verifyRecord): Map<string, Set<string>> {
  return spread(envelopes, audience, isIssuer, verify, false);
}

/**
 * Who can read with which key of `audience`: holdings, plus keys handed on by anyone seen holding them
 * by this same rule. An organiser who stopped being one still handed keys on: counting only current
 * issuers, a member who got her key from them alone was seen holding none, and removing her rotated
 * nothing. The author of an envelope is taken to hold every key it boxes when they are seen holding a
 * key of that epoch already (an organiser since demoted who made a concurrent key): a key they made
 * after they stopped being one, or a claim by someone seen holding no key that new, spreads no further,
 * so nobody can make stewards rotate by claiming the current key id (it is public) in a junk box.
 */
export function readers(envelopes: Iterable<unknown>, audience: SealedAudience, isIssuer: IsIssuer, verify: (r: unknown) => boolean = verifyRecord): Map<string, Set<string>> {
  return spread(envelopes, audience, isIssuer, verify, true);
}

function spread(envelopes: Iterable<unknown>, audience: SealedAudience, isIssuer: IsIssuer, verify: (r: unknown) => boolean, handedOn: boolean): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  /** The newest epoch each agent is seen holding a key of (from envelopes passed whole). */
  const top = new Map<string, number>();
  const byAuthor = new Map<string, KeyEnvelope[]>();
  const queue: string[] = [];
  const give = (to: string, kids: Iterable<string>, epoch: number | null) => {
    const set = out.get(to) ?? new Set<string>();
    const size = set.size;
    for (const k of kids) set.add(k);
    out.set(to, set);
    const raised = epoch !== null && epoch > (top.get(to) ?? -1);
    if (raised) top.set(to, epoch);
    if (set.size > size || raised) queue.push(to);
  };
  for (const env of envelopes) {
    if (!isEnvelopeShape(env) || env.audience !== audience) continue;
    if (isIssuer(env.author)) {
      if (verify(env)) give(env.to, env.kids, env.epoch);
    } else if (handedOn) {
      const list = byAuthor.get(env.author) ?? [];
      list.push(env);
      byAuthor.set(env.author, list);
    }
  }
  // Each agent's envelopes are looked at again only when what they are seen holding grew: bounded by
  // (envelopes × agents), in practice a pass or two.
  const valid = new Map<KeyEnvelope, boolean>();
  for (let who = queue.shift(); who !== undefined && handedOn; who = queue.shift()) {
    for (const env of byAuthor.get(who) ?? []) {
      const theirs = out.get(who)!;
      const whole = (top.get(who) ?? -1) >= env.epoch;
      const passed = whole ? env.kids : env.kids.filter((k) => theirs.has(k));
      if (passed.length === 0) continue;
      if (!valid.has(env)) valid.set(env, verify(env));
      if (!valid.get(env)) continue;
      if (whole) give(who, env.kids, null);
      give(env.to, passed, whole || passed.length === env.kids.length ? env.epoch : null);
    }
  }
  return out;
}

/** The highest epoch (up to `below`) any valid envelope of `audience` by an issuer names (null when there is none). */
export function latestEpoch(envelopes: Iterable<unknown>, audience: SealedAudience, isIssuer: IsIssuer, verify: (r: unknown) => boolean = verifyRecord, below = Infinity): number | null {
  let max: number | null = null;
  for (const env of envelopes) {
    if (isEnvelopeShape(env) && env.audience === audience && env.epoch <= below && isIssuer(env.author) && (max === null || env.epoch > max) && verify(env)) max = env.epoch;
  }
  return max;
}

export type { KeyEnvelope };
