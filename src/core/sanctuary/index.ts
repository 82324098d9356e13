/** Sanctuary network: encrypted entries, key envelopes, rotation, verification, print models. */
export * from './types.ts';
export { communityContext, type CommunityTrust } from '../audience/entitlement.ts';
export * from './errors.ts';
export { ENTRY_LIMITS, PAD_MIN, entryProblem, paddedLength } from './plain.ts';
export { newSanctuaryKey, sealKeyEnvelope, openKeyEnvelope, type Random } from './key.ts';
export { MAX_KEYS_PER_EPOCH, addKey, buildKeyring, chainOf, currentKey, keysToTry, type KeyRejection } from './keyring.ts';
export { entitledMembers } from './entitled.ts';
export { retiredEnvelopes } from './retire.ts';
export { replacedKeys, supersededKeys, versionKey } from './versions.ts';
export { createEntry, editEntry, openEntry, type OpenResult } from './entry.ts';
export { collectEntries, type EntryRejection } from './entries.ts';
export { rotate, sanctuaryDuties, type RotateBy, type Rotation, type SanctuaryDuty, type SanctuaryState } from './rotate.ts';
export {
  CLOCK_SKEW_MS,
  DEFAULT_CHECK_IN_PERIOD_MS,
  REQUIRED_VERIFIERS,
  VERIFICATION_WINDOW_MS,
  checkInDue,
  checkVerifications,
  createVerification,
  type VerificationRejection,
} from './verification.ts';
export { visibleEntries, type VisibilityOptions, type VisibleEntry } from './visible.ts';
export { DEFAULT_PRINT_VALID_DAYS, MAX_PRINT_VALID_DAYS, printList, type PrintOptions, type PrintRow, type PrintSheet } from './print.ts';
export { DEFAULT_NOTICE_ROWS, NOTICE_NOTE_CHARS, noticeboard, type NoticeOptions, type NoticeRow, type Noticeboard } from './noticeboard.ts';
