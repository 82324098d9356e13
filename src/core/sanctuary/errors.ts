export type SanctuaryKeyErrorCode =
  | 'malformed'
  | 'not-for-me'
  | 'forged-signature'
  | 'sender-profile'
  | 'cannot-open'
  | 'bad-key';

/** Why a key envelope could not be opened. Never thrown for a valid envelope to this member. */
export class SanctuaryKeyError extends Error {
  override name = 'SanctuaryKeyError';
  constructor(
    readonly code: SanctuaryKeyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type SanctuaryInputCode = 'bad-entry' | 'bad-profile' | 'bad-epoch' | 'no-key';

/** A caller (not a peer) asked for something impossible: a bad entry, a profile that does not verify. */
export class SanctuaryInputError extends Error {
  override name = 'SanctuaryInputError';
  constructor(
    readonly code: SanctuaryInputCode,
    message: string,
  ) {
    super(message);
  }
}
