import { CodedError } from '../errors/coded-error.ts';

export type KeyErrorCode = 'malformed' | 'not-for-me' | 'forged-signature' | 'sender-profile' | 'cannot-open' | 'bad-key';

/** Why a key envelope could not be opened. Never thrown for a valid envelope to this member. */
export class AudienceKeyError extends CodedError<KeyErrorCode> {
  override name = 'AudienceKeyError';
}

export type AudienceInputCode = 'bad-profile' | 'bad-epoch' | 'no-key' | 'bad-record' | 'too-many-keys';

/** A caller (not a peer) asked for something impossible: sealing without a key, to a forged profile… */
export class AudienceInputError extends CodedError<AudienceInputCode> {
  override name = 'AudienceInputError';
}
