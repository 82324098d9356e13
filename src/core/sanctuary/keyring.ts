import { toBase64Url } from '../crypto/encoding.ts';
import type { Identity } from '../crypto/keys.ts';
import type { Profile } from '../model/types.ts';
import { can, type TrustContext } from '../trust/can.ts';
import { SanctuaryKeyError, type SanctuaryKeyErrorCode } from './errors.ts';
import { openKeyEnvelope } from './key.ts';
import { asObject } from '../audience/shape.ts';
import type { Keyring, Rejection, SanctuaryKey } from './types.ts';

/** Bounds the trial decryptions per entry when stewards rotate at the same time. */
export const MAX_KEYS_PER_EPOCH = 8;

export type KeyRejection = SanctuaryKeyErrorCode | 'issuer-not-steward' | 'too-many-keys';

/** Add a key (pure): keys of one epoch are kept sorted so every replica tries them in one order. */
export function addKey(ring: Keyring, k: SanctuaryKey): Keyring {
  const have = ring.get(k.epoch) ?? [];
  const text = toBase64Url(k.key);
  if (have.some((h) => toBase64Url(h) === text) || have.length >= MAX_KEYS_PER_EPOCH) return ring;
  const next = new Map(ring);
  next.set(k.epoch, [...have, k.key].sort((a, b) => cmp(toBase64Url(a), toBase64Url(b))));
  return next;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The key to seal new entries with: the highest epoch (its first key). Null for an empty ring. */
export function currentKey(ring: Keyring): SanctuaryKey | null {
  let best: SanctuaryKey | null = null;
  for (const [epoch, keys] of ring) if (keys.length > 0 && (!best || epoch > best.epoch)) best = { epoch, key: keys[0] };
  return best;
}

/**
 * Open every envelope addressed to `me` whose issuer is a steward in my own view (`ctx`). Envelopes to
 * others are skipped silently; bad ones to me are reported by id.
 */
export function buildKeyring(
  me: Identity,
  envelopes: Iterable<unknown>,
  profileOf: (agentId: string) => Profile | undefined,
  ctx: TrustContext,
): { keyring: Keyring; rejected: Rejection<KeyRejection>[] } {
  let keyring: Keyring = new Map();
  const rejected: Rejection<KeyRejection>[] = [];
  for (const env of envelopes) {
    const o = asObject(env);
    if (o && o.to !== me.agentId) continue;
    const id = typeof o?.id === 'string' ? o.id : '?';
    try {
      const k = openKeyEnvelope(me, env, profileOf(String(o?.author)));
      if (!can(ctx, String(o!.author), 'steward').allowed) rejected.push({ id, reason: 'issuer-not-steward' });
      else if ((keyring.get(k.epoch)?.length ?? 0) >= MAX_KEYS_PER_EPOCH) rejected.push({ id, reason: 'too-many-keys' });
      else keyring = addKey(keyring, k);
    } catch (e) {
      if (!(e instanceof SanctuaryKeyError)) throw e;
      rejected.push({ id, reason: e.code });
    }
  }
  return { keyring, rejected: rejected.sort((a, b) => cmp(a.id, b.id)) };
}
