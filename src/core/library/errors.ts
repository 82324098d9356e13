import { CodedError } from '../errors/coded-error.ts';

export type LibraryErrorCode =
  | 'bad-shape'
  | 'bad-signature'
  | 'too-large'
  | 'chunk-count'
  | 'chunk-size'
  | 'name-too-long'
  | 'bad-hash'
  | 'bad-audience'
  | 'hash-mismatch';

/** Every refusal of a manifest or a chunk names its reason, so a phone can say what went wrong. */
export class LibraryError extends CodedError<LibraryErrorCode> {
  override name = 'LibraryError';
}
