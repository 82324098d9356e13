import type { Signed } from '../crypto/sign.ts';
import type { Audience } from '../protocol/audience.ts';
import type { SealedRecord } from '../audience/types.ts';

/** `private` is not a library audience: a file for one person travels sealed inside a message. */
export type FileAudience = Exclude<Audience, 'private'>;
export const FILE_AUDIENCES: readonly FileAudience[] = ['public', 'local', 'trusted'];

/** What every manifest shows (a relay needs these to check, store, carry and count a file). */
interface ManifestBase extends Signed {
  type: 'file-manifest';
  id: string;
  /** Bytes as stored and carried: the ciphertext's length for a sealed file. */
  size: number;
  chunkSize: number;
  chunks: string[];
  audience: FileAudience;
  created: number;
}

/** A file anyone may read: public files, and non-public ones shared before files were sealed. */
export interface ClearFileManifest extends ManifestBase {
  name: string;
  mime: string;
  licence: string;
}

/**
 * A non-public file (core/library/sealed-manifest.ts): its bytes are encrypted under a fresh file key
 * before chunking, and its name, type, licence and that key travel in `sealed`, boxed to the members'
 * key. Outside only what a relay needs: author, sizes, chunk hashes (of ciphertext), audience, time.
 */
export interface SealedFileManifest extends ManifestBase {
  sealed: SealedRecord;
}

/** A shared file: who shares it, how it is cut, the hashes of its chunks in order, and what it is (in clear or sealed). */
export type FileManifest = ClearFileManifest | SealedFileManifest;

export function isSealedManifest(m: FileManifest): m is SealedFileManifest {
  return 'sealed' in m;
}

/** Limits a community sets; the relay and the phone check the same ones. */
export interface LibraryLimits {
  maxFileBytes: number;
  maxNameChars: number;
  maxMimeChars: number;
  maxLicenceChars: number;
}

export const DEFAULT_LIMITS: LibraryLimits = { maxFileBytes: 25 * 1024 * 1024, maxNameChars: 200, maxMimeChars: 100, maxLicenceChars: 100 };

/** How much of a file is here. */
export interface FetchProgress {
  held: number;
  total: number;
  bytesHeld: number;
  bytesTotal: number;
  done: boolean;
}
