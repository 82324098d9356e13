import { buildKeyring as buildAudienceKeyring, type KeyRejection as AudienceKeyRejection } from '../audience/keyring.ts';
import type { Identity } from '../crypto/keys.ts';
import type { Profile } from '../model/types.ts';
import { can, type TrustContext } from '../trust/can.ts';
import type { Keyring, Rejection } from './types.ts';

export { MAX_KEYS_PER_EPOCH, addKey, chainOf, currentKey, keysToTry } from '../audience/keyring.ts';

export type KeyRejection = AudienceKeyRejection;

/**
 * Open every sanctuary envelope addressed to `me` (each carries a chain: all keys up to its epoch) whose
 * issuer is a steward by `ctx`. Pass the community's shared context (communityContext), not my own
 * view: a key then counts on every phone alike, whoever issued it. Envelopes to others are skipped
 * silently; bad ones to me are reported by id.
 */
export function buildKeyring(
  me: Identity,
  envelopes: Iterable<unknown>,
  profileOf: (agentId: string) => Profile | undefined,
  ctx: TrustContext,
): { keyring: Keyring; rejected: Rejection<KeyRejection>[] } {
  return buildAudienceKeyring(me, 'sanctuary', envelopes, profileOf, (id) => can(ctx, id, 'steward').allowed);
}
