import { CodedError } from '../errors/coded-error.ts';

/** Envelope errors are the audience layer's: the sanctuary is one audience of it. */
export { AudienceKeyError as SanctuaryKeyError, type KeyErrorCode as SanctuaryKeyErrorCode } from '../audience/errors.ts';

export type SanctuaryInputCode = 'bad-entry' | 'bad-profile' | 'bad-epoch' | 'no-key';

/** A caller (not a peer) asked for something impossible: a bad entry, a profile that does not verify. */
export class SanctuaryInputError extends CodedError<SanctuaryInputCode> {
  override name = 'SanctuaryInputError';
}
