import nacl from 'tweetnacl';
import { SECRETBOX_NONCE_BYTES, SECRETBOX_OVERHEAD } from '../crypto/secretbox.ts';
import { fromBase64Url, toBase64Url } from '../crypto/encoding.ts';
import { importIdentity, randomBytes, type Identity } from '../crypto/keys.ts';
import { concatBytes } from '../crypto/bytes.ts';
import { VaultError, type Random } from './errors.ts';
import { SALT_BYTES, checkParams, deriveKey, subkey, type ScryptParams } from './kdf.ts';
import { openBytes, sealBytes } from './secretbox.ts';
import { CodedError } from '../errors/coded-error.ts';
import { MAX_BACKUP_CHARS } from './backup-size.ts';

export const BACKUP_PREFIX = 'spmk1:';
export { MAX_BACKUP_CHARS };
const SEED = 32;
const SECRET_BYTES = SEED + nacl.box.secretKeyLength;
const SEALED_BYTES = SECRETBOX_NONCE_BYTES + SECRET_BYTES + SECRETBOX_OVERHEAD;
/** log2(N), r, p, salt, sealed secrets. */
const BACKUP_BYTES = 3 + SALT_BYTES + SEALED_BYTES;
const LABEL = 'spm/backup/v1';

export type BackupErrorCode = 'wrong-prefix' | 'malformed' | 'wrong-passphrase';

export class BackupError extends CodedError<BackupErrorCode> {
  override name = 'BackupError';
}

/**
 * `spmk1:<base64url>` (170 characters): scrypt parameters, salt and secretbox(ed25519 seed ‖ x25519
 * secret key) under a key derived from the passphrase. Holds the keys only, not the data. Anyone who
 * has the text can guess passphrases offline, at the scrypt cost per guess: use a real passphrase.
 */
export async function exportBackup(identity: Identity, passphrase: string, params: ScryptParams, random: Random = randomBytes): Promise<string> {
  if (typeof passphrase !== 'string' || passphrase.normalize('NFKC').length < 8) throw new VaultError('malformed', 'a backup passphrase must be at least 8 characters');
  const { N, r, p } = checkParams(params);
  const salt = random(SALT_BYTES);
  const key = subkey(await deriveKey(passphrase, salt, { N, r, p }), LABEL);
  const secrets = concatBytes(identity.signSecretKey.subarray(0, SEED), identity.boxSecretKey);
  const bytes = concatBytes(Uint8Array.of(Math.log2(N), r, p), salt, sealBytes(key, secrets, random));
  return BACKUP_PREFIX + toBase64Url(bytes);
}

export async function importBackup(text: string, passphrase: string): Promise<Identity> {
  const bytes = parseBackup(text);
  const params = paramsOf(bytes);
  const salt = bytes.subarray(3, 3 + SALT_BYTES);
  const key = subkey(await deriveKey(typeof passphrase === 'string' ? passphrase : '', salt, params), LABEL);
  let secrets: Uint8Array;
  try {
    secrets = openBytes(key, bytes.subarray(3 + SALT_BYTES));
  } catch {
    throw new BackupError('wrong-passphrase', 'the passphrase does not open this backup (or the text was altered)');
  }
  const sign = nacl.sign.keyPair.fromSeed(secrets.subarray(0, SEED));
  return importIdentity({ signSecretKey: toBase64Url(sign.secretKey), boxSecretKey: toBase64Url(secrets.subarray(SEED)) });
}

function parseBackup(text: unknown): Uint8Array {
  if (typeof text !== 'string' || !text.startsWith(BACKUP_PREFIX)) throw new BackupError('wrong-prefix', `a key backup starts with ${BACKUP_PREFIX}`);
  if (text.length > MAX_BACKUP_CHARS) throw new BackupError('malformed', 'backup text too long');
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(text.slice(BACKUP_PREFIX.length).trim());
  } catch {
    throw new BackupError('malformed', 'backup text is not base64url');
  }
  if (bytes.length !== BACKUP_BYTES) throw new BackupError('malformed', 'backup has the wrong length');
  return bytes;
}

function paramsOf(bytes: Uint8Array): ScryptParams {
  try {
    return checkParams({ N: 2 ** bytes[0], r: bytes[1], p: bytes[2] });
  } catch {
    throw new BackupError('malformed', 'backup has unacceptable scrypt parameters');
  }
}
