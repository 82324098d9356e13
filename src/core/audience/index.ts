/** Sealed audiences: epoch keys, envelopes carrying key chains, converging entitlement, seal/open. */
export * from './types.ts';
export * from './errors.ts';
export { newEpochKey, keyId, type Random } from './key.ts';
export { MAX_CHAIN, sealEnvelope, openEnvelope, isEnvelopeShape } from './envelope.ts';
export { MAX_KEYS_PER_EPOCH, addKey, buildKeyring, chainOf, currentKey, holdings, keysToTry, kidsOf, latestEpoch, readers, type IsIssuer, type KeyRejection } from './keyring.ts';
export { communityContext, entitlement, entitledProfiles, type CommunityTrust, type Entitlement } from './entitlement.ts';
export { SEAL_MAX_BYTES, SEAL_PAD_MIN, isSealedShape, open, resealAll, resealOutdated, seal, sealWith, type OpenFailure, type Opened } from './seal.ts';
export { keyDuties, type Duty, type DutyInput } from './duties.ts';
export { accessOf, type Access } from './access.ts';
