import type { Random } from '../audience/key.ts';
import { open, seal } from '../audience/seal.ts';
import { asObject, bytesOf } from '../audience/shape.ts';
import type { Keyring } from '../audience/types.ts';
import { randomId, toBase64Url } from '../crypto/encoding.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import { signRecord, verifyRecord, type Signed, type Unsigned } from '../crypto/sign.ts';
import { CHUNK_SIZE, splitFile, type Chunked } from './chunk.ts';
import { LibraryError } from './errors.ts';
import { decryptFile, encryptFile, FILE_KEY_BYTES, FILE_NONCE_BYTES, newFileSecret, type FileSecret } from './file-cipher.ts';
import { checkFacts, validateManifest, type FileInput } from './manifest.ts';
import { DEFAULT_LIMITS, isSealedManifest, type FileManifest, type LibraryLimits, type SealedFileManifest } from './types.ts';

/**
 * Inside a sealed manifest's box: what the file is and the key that opens its bytes. Signed by the
 * file's author and naming the manifest's id, so a box copied into another manifest (even one its
 * copier signs) does not open as that file.
 */
export interface FileSecretRecord extends Signed {
  type: 'file-secret';
  file: string;
  name: string;
  mime: string;
  licence: string;
  /** base64url, 32 bytes. */
  key: string;
  /** base64url, 24 bytes. */
  nonce: string;
}

/** What a reader knows of a file: its facts, and for a sealed file the secret that decrypts its bytes. */
export interface FileFacts {
  name: string;
  mime: string;
  licence: string;
  /** null: the file is stored in clear (public, or shared before files were sealed). */
  secret: FileSecret | null;
}

/**
 * A non-public file, sealed (issue #17): the bytes are encrypted under a fresh file key, then cut into
 * chunks hashed over the ciphertext; name, type, licence and the key are signed, then sealed with the
 * members' current key (as members-only posts are, model/sealed-intent.ts). The manifest outside is
 * signed too, so a relay still checks author, limits and chunk hashes. Throws AudienceInputError('no-key')
 * when this phone holds no members' key yet.
 */
export function createSealedManifest(
  me: Identity,
  input: FileInput,
  bytes: Uint8Array,
  now: number,
  keyring: Keyring,
  limits: LibraryLimits = DEFAULT_LIMITS,
  chunkSize = CHUNK_SIZE,
  random: Random = randomBytes,
): Chunked & { manifest: SealedFileManifest; facts: FileFacts } {
  if (input.audience === 'public') throw new LibraryError('bad-audience', 'a public file is not sealed');
  const id = randomId(random);
  const secret = newFileSecret(random);
  const facts: FileFacts = { name: input.name.trim(), mime: input.mime, licence: input.licence, secret };
  checkFacts({ ...facts }, limits);
  const inner = signRecord<FileSecretRecord>(
    { type: 'file-secret', file: id, author: me.agentId, name: facts.name, mime: facts.mime, licence: facts.licence, key: toBase64Url(secret.key), nonce: toBase64Url(secret.nonce) },
    me.signSecretKey,
  );
  const chunked = splitFile(encryptFile(bytes, secret), chunkSize);
  const draft: Unsigned<SealedFileManifest> = {
    type: 'file-manifest',
    id,
    author: me.agentId,
    size: chunked.chunks.reduce((n, c) => n + c.length, 0),
    chunkSize,
    chunks: chunked.hashes,
    audience: input.audience,
    created: now,
    sealed: seal(inner, 'members', keyring, random),
  };
  const manifest = validateManifest(signRecord<SealedFileManifest>(draft, me.signSecretKey), limits) as SealedFileManifest;
  return { ...chunked, manifest, facts };
}

export type ManifestOpening = { ok: true; facts: FileFacts } | { ok: false; reason: 'no-key' | 'bad-record' };

const SECRET_KEYS = new Set(['type', 'file', 'author', 'name', 'mime', 'licence', 'key', 'nonce', 'sig']);

/**
 * What this reader can know of a (validated) manifest: a clear one as it is; a sealed one only with the
 * members' key of its epoch, and only if the box holds the author's signed secret for this very file.
 * Total: never throws.
 */
export function openManifest(m: FileManifest, keyring: Keyring, limits: LibraryLimits = DEFAULT_LIMITS, verify: (r: unknown) => boolean = verifyRecord): ManifestOpening {
  if (!isSealedManifest(m)) return { ok: true, facts: { name: m.name, mime: m.mime, licence: m.licence, secret: null } };
  const o = open<Record<string, unknown>>(m.sealed, keyring, verify);
  if (!o.ok) return { ok: false, reason: o.reason === 'no-key' || o.reason === 'cannot-decrypt' ? 'no-key' : 'bad-record' };
  const r = asObject(o.record);
  if (!r || r.type !== 'file-secret' || r.file !== m.id || r.author !== m.author || Object.keys(r).some((k) => !SECRET_KEYS.has(k))) return { ok: false, reason: 'bad-record' };
  try {
    checkFacts(r, limits);
  } catch {
    return { ok: false, reason: 'bad-record' };
  }
  const key = bytesOf(r.key, FILE_KEY_BYTES);
  const nonce = bytesOf(r.nonce, FILE_NONCE_BYTES);
  if (!key || !nonce) return { ok: false, reason: 'bad-record' };
  return { ok: true, facts: { name: r.name as string, mime: r.mime as string, licence: r.licence as string, secret: { key, nonce } } };
}

/** The file a reader sees from its reassembled (hash-checked) bytes: decrypted for a sealed file; null if that fails. */
export function plainBytes(facts: FileFacts, stored: Uint8Array): Uint8Array | null {
  return facts.secret ? decryptFile(stored, facts.secret) : stored;
}
