import type { Identity } from '../crypto/keys.ts';
import { randomBytes } from '../crypto/keys.ts';
import { randomId } from '../crypto/encoding.ts';
import { signRecord, verifyRecord, type Unsigned } from '../crypto/sign.ts';
import { CHUNK_SIZE, chunkCount, MAX_CHUNK_SIZE, MAX_CHUNKS, MIN_CHUNK_SIZE, splitFile, type Chunked } from './chunk.ts';
import { LibraryError } from './errors.ts';
import { isChunkHash } from './hash.ts';
import { DEFAULT_LIMITS, FILE_AUDIENCES, type ClearFileManifest, type FileAudience, type FileManifest, type LibraryLimits } from './types.ts';
import { isSealedShape } from '../audience/seal.ts';

export interface FileInput {
  name: string;
  mime: string;
  licence: string;
  audience: FileAudience;
}

/** Splits the file, names its chunks and signs the manifest. Validated like any manifest received. */
export function createManifest(me: Identity, input: FileInput, bytes: Uint8Array, now: number, limits = DEFAULT_LIMITS, chunkSize = CHUNK_SIZE): Chunked & { manifest: ClearFileManifest } {
  const chunked = splitFile(bytes, chunkSize);
  const draft: Unsigned<ClearFileManifest> = {
    type: 'file-manifest',
    id: randomId(randomBytes),
    author: me.agentId,
    name: input.name.trim(),
    mime: input.mime,
    size: bytes.length,
    chunkSize,
    chunks: chunked.hashes,
    licence: input.licence,
    audience: input.audience,
    created: now,
  };
  const manifest = validateManifest(signRecord<ClearFileManifest>(draft, me.signSecretKey), limits) as ClearFileManifest;
  return { ...chunked, manifest };
}

const COMMON = ['type', 'id', 'author', 'size', 'chunkSize', 'chunks', 'audience', 'created', 'sig'];
const CLEAR_KEYS = new Set([...COMMON, 'name', 'mime', 'licence']);
const SEALED_KEYS = new Set([...COMMON, 'sealed']);
/** A sealed manifest's box holds a name, a type, a licence and a key: a few KB at most, padded. */
export const MAX_SEALED_BOX_CHARS = 8192;

function shape(cond: boolean, what: string): void {
  if (!cond) throw new LibraryError('bad-shape', `manifest ${what}`);
}

function boundedText(v: unknown, max: number, what: string): void {
  shape(typeof v === 'string', `${what} is not text`);
  if ((v as string).length > max) throw new LibraryError('name-too-long', `manifest ${what} longer than ${max} characters`);
}

/** The clear facts of a file (in a clear manifest, or inside a sealed one's box). */
export function checkFacts(m: Record<string, unknown>, limits: LibraryLimits): void {
  boundedText(m.name, limits.maxNameChars, 'name');
  shape((m.name as string).trim().length > 0, 'name is empty');
  boundedText(m.mime, limits.maxMimeChars, 'mime');
  shape(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/i.test(m.mime as string), 'mime is not a media type');
  boundedText(m.licence, limits.maxLicenceChars, 'licence');
}

/**
 * Checks everything before anything is stored: shape, limits, chunk arithmetic and (last, as the most
 * costly) the author's signature. Returns the manifest typed; throws LibraryError otherwise.
 */
export function validateManifest(v: unknown, limits: LibraryLimits = DEFAULT_LIMITS): FileManifest {
  shape(typeof v === 'object' && v !== null && !Array.isArray(v), 'is not an object');
  const m = v as Record<string, unknown>;
  const sealed = Object.hasOwn(m, 'sealed');
  const keys = sealed ? SEALED_KEYS : CLEAR_KEYS;
  for (const k of Object.keys(m)) shape(keys.has(k), `has an unknown field ${JSON.stringify(k.slice(0, 40))}`);
  shape(m.type === 'file-manifest', 'type is not file-manifest');
  shape(typeof m.id === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(m.id), 'id is not an id');
  shape(typeof m.author === 'string' && /^[A-Za-z0-9_-]{43}$/.test(m.author), 'author is not an agent id');
  shape(typeof m.sig === 'string' && m.sig.length <= 100, 'sig is not a signature');
  if (!FILE_AUDIENCES.includes(m.audience as FileAudience)) throw new LibraryError('bad-audience', 'manifest audience must be public, local or trusted');
  if (sealed) {
    // A public file is never sealed: its readers would need a key nobody outside the members holds.
    if (m.audience === 'public') throw new LibraryError('bad-audience', 'a public file is not sealed');
    const s = m.sealed as { audience?: unknown; box?: unknown };
    shape(isSealedShape(s) && s.audience === 'members', 'sealed part is not a box for the members');
    shape((s.box as string).length <= MAX_SEALED_BOX_CHARS, 'sealed part is too large');
  } else {
    checkFacts(m, limits);
  }
  shape(Number.isSafeInteger(m.created) && (m.created as number) > 0, 'created is not a time');
  shape(Number.isSafeInteger(m.size) && (m.size as number) >= 0, 'size is not a byte count');
  if ((m.size as number) > limits.maxFileBytes) throw new LibraryError('too-large', `file of ${m.size} bytes is over the community limit of ${limits.maxFileBytes}`);
  const cs = m.chunkSize as number;
  if (!Number.isSafeInteger(cs) || cs < MIN_CHUNK_SIZE || cs > MAX_CHUNK_SIZE) throw new LibraryError('chunk-size', `chunk size must be ${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE} bytes`);
  shape(Array.isArray(m.chunks), 'chunks is not a list');
  const chunks = m.chunks as unknown[];
  if (chunks.length > MAX_CHUNKS) throw new LibraryError('chunk-count', `more than ${MAX_CHUNKS} chunks`);
  if (chunks.length !== chunkCount(m.size as number, cs)) throw new LibraryError('chunk-count', `${chunks.length} chunks do not make ${m.size} bytes in chunks of ${cs}`);
  for (const h of chunks) if (!isChunkHash(h)) throw new LibraryError('bad-hash', 'a chunk hash is not a SHA-256 base64url hash');
  if (!verifyRecord(m)) throw new LibraryError('bad-signature', 'manifest signature does not verify');
  return m as unknown as FileManifest;
}
