import nacl from 'tweetnacl';
import { SECRETBOX_NONCE_BYTES, SECRETBOX_OVERHEAD } from '../crypto/secretbox.ts';
import { fromBase64Url, toBase64Url, utf8 } from '../crypto/encoding.ts';
import { importIdentity, randomBytes, type Identity } from '../crypto/keys.ts';
import { concatBytes } from '../crypto/bytes.ts';
import { isAgentKey } from '../protocol/invite.ts';
import { isRetirementDigest } from '../model/retirement.ts';
import { VaultError, type Random } from './errors.ts';
import { SALT_BYTES, checkParams, deriveKey, subkey, type ScryptParams } from './kdf.ts';
import { openBytes, sealBytes } from './secretbox.ts';
import { BACKUP_PREFIX, BackupError, MAX_BACKUP_CHARS, importBackup } from './backup.ts';

/**
 * A backup that brings the person back whole: the keys (as in `spmk1:`) plus where they stand — the
 * community they belong to, the people they started out trusting (anchors) and whether they founded it.
 * Their feed (posts, profile, the vouches they gave) is not copied: the community's member list names it,
 * and the restored phone finds it there. Everything is sealed under the passphrase like the keys.
 */
export const STANDING_PREFIX = 'spmk2:';
const LABEL = 'spm/backup/v2';
const SEED = 32;
const KEYS = SEED + nacl.box.secretKeyLength;
/** Enough anchors for anyone; a QR code must still hold the whole text. */
export const MAX_BACKUP_ANCHORS = 8;
const MAX_FIELD = 200;

export interface Standing {
  communityUrl: string | null;
  anchors: string[];
  founder: boolean;
  /** The community's founder this phone pinned (read-community.ts): a restored phone holds to it too. */
  pinnedFounder?: string;
  /** Digest of the founder's retirement this phone holds to (model/retirement.ts): a restored phone holds to it too. */
  pinnedRetirement?: string;
}

export interface RestoredPerson {
  identity: Identity;
  /** null for a keys-only (`spmk1:`) backup. */
  standing: Standing | null;
}

export async function exportStandingBackup(identity: Identity, standing: Standing, passphrase: string, params: ScryptParams, random: Random = randomBytes): Promise<string> {
  if (typeof passphrase !== 'string' || passphrase.normalize('NFKC').length < 8) throw new VaultError('malformed', 'a backup passphrase must be at least 8 characters');
  const { N, r, p } = checkParams(params);
  const salt = random(SALT_BYTES);
  const key = subkey(await deriveKey(passphrase, salt, { N, r, p }), LABEL);
  const body = { c: standing.communityUrl, a: standing.anchors.slice(0, MAX_BACKUP_ANCHORS), f: standing.founder ? 1 : 0, ...(standing.pinnedFounder ? { p: standing.pinnedFounder } : {}), ...(standing.pinnedRetirement ? { r: standing.pinnedRetirement } : {}) };
  const plain = concatBytes(identity.signSecretKey.subarray(0, SEED), identity.boxSecretKey, utf8.encode(JSON.stringify(body)));
  const text = STANDING_PREFIX + toBase64Url(concatBytes(Uint8Array.of(Math.log2(N), r, p), salt, sealBytes(key, plain, random)));
  if (text.length > MAX_BACKUP_CHARS) throw new VaultError('malformed', 'backup too long for a QR code');
  return text;
}

/** Reads either kind of backup; a keys-only one has no standing. Throws BackupError only. */
export async function importStandingBackup(text: unknown, passphrase: string): Promise<RestoredPerson> {
  const trimmed = typeof text === 'string' ? text.trim() : text;
  if (typeof trimmed === 'string' && trimmed.startsWith(BACKUP_PREFIX)) return { identity: await importBackup(trimmed, passphrase), standing: null };
  if (typeof trimmed !== 'string' || !trimmed.startsWith(STANDING_PREFIX)) throw new BackupError('wrong-prefix', `a key backup starts with ${BACKUP_PREFIX} or ${STANDING_PREFIX}`);
  if (trimmed.length > MAX_BACKUP_CHARS) throw new BackupError('malformed', 'backup text too long');
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(trimmed.slice(STANDING_PREFIX.length));
  } catch {
    throw new BackupError('malformed', 'backup text is not base64url');
  }
  if (bytes.length < 3 + SALT_BYTES + SECRETBOX_NONCE_BYTES + SECRETBOX_OVERHEAD + KEYS) throw new BackupError('malformed', 'backup too short');
  let params: ScryptParams;
  try {
    params = checkParams({ N: 2 ** bytes[0], r: bytes[1], p: bytes[2] });
  } catch {
    throw new BackupError('malformed', 'backup has unacceptable scrypt parameters');
  }
  const key = subkey(await deriveKey(typeof passphrase === 'string' ? passphrase : '', bytes.subarray(3, 3 + SALT_BYTES), params), LABEL);
  let plain: Uint8Array;
  try {
    plain = openBytes(key, bytes.subarray(3 + SALT_BYTES));
  } catch {
    throw new BackupError('wrong-passphrase', 'the passphrase does not open this backup (or the text was altered)');
  }
  if (plain.length < KEYS) throw new BackupError('malformed', 'backup holds no keys');
  const sign = nacl.sign.keyPair.fromSeed(plain.subarray(0, SEED));
  const identity = importIdentity({ signSecretKey: toBase64Url(sign.secretKey), boxSecretKey: toBase64Url(plain.subarray(SEED, KEYS)) });
  return { identity, standing: parseStanding(plain.subarray(KEYS)) };
}

/** Sealed by the person's own passphrase, yet still checked field by field: a damaged body is refused. */
function parseStanding(bytes: Uint8Array): Standing {
  let o: { c?: unknown; a?: unknown; f?: unknown; p?: unknown; r?: unknown };
  try {
    o = JSON.parse(utf8.decode(bytes)) as typeof o;
  } catch {
    throw new BackupError('malformed', 'backup standing is not JSON');
  }
  if (typeof o !== 'object' || o === null) throw new BackupError('malformed', 'backup standing is not an object');
  const communityUrl = typeof o.c === 'string' && o.c.length <= MAX_FIELD ? o.c : null;
  if (o.c !== null && o.c !== undefined && communityUrl === null) throw new BackupError('malformed', 'backup community is not a short string');
  if (!Array.isArray(o.a) || o.a.length > MAX_BACKUP_ANCHORS || !o.a.every((x) => typeof x === 'string' && x.length > 0 && x.length <= MAX_FIELD)) throw new BackupError('malformed', 'backup anchors are malformed');
  // Backups made before the pin was carried have none: the restored phone pins the first founder it reads.
  if (o.p !== undefined && !isAgentKey(o.p)) throw new BackupError('malformed', 'backup founder is not a key');
  if (o.r !== undefined && !isRetirementDigest(o.r)) throw new BackupError('malformed', 'backup retirement is not a digest');
  const pins = { ...(isAgentKey(o.p) ? { pinnedFounder: o.p } : {}), ...(isRetirementDigest(o.r) ? { pinnedRetirement: o.r } : {}) };
  return { communityUrl, anchors: o.a as string[], founder: o.f === 1, ...pins };
}
