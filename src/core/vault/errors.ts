import { CodedError } from '../errors/coded-error.ts';

/**
 * Everything the vault refuses is a VaultError with a code the UI can branch on; nothing else is
 * thrown for bad input, so a corrupted record or a wrong key never looks like a crash.
 */
export type VaultErrorCode =
  /** Bytes or JSON that do not have the expected shape. */
  | 'malformed'
  /** Authenticated decryption failed: the data was altered, or it was sealed under another key. */
  | 'tampered'
  /** The key that was offered is not the key this store or record was sealed with. */
  | 'wrong-key'
  /** Key-derivation parameters outside the accepted bounds (too weak, or a denial-of-service). */
  | 'bad-params'
  /** A value larger than the vault accepts. */
  | 'too-large';

export class VaultError extends CodedError<VaultErrorCode> {
  override name = 'VaultError';
}

/** Where the vault needs randomness; injectable so that tests are deterministic. */
export type Random = (n: number) => Uint8Array;
