import type { Signed } from '../crypto/sign.ts';
import type { Audience } from '../protocol/audience.ts';

/** `private` is not a library audience: a file for one person travels sealed inside a message. */
export type FileAudience = Exclude<Audience, 'private'>;
export const FILE_AUDIENCES: readonly FileAudience[] = ['public', 'local', 'trusted'];

/** A shared file: what it is, who shares it, and the hashes of its chunks in order. */
export interface FileManifest extends Signed {
  type: 'file-manifest';
  id: string;
  name: string;
  mime: string;
  size: number;
  chunkSize: number;
  chunks: string[];
  licence: string;
  audience: FileAudience;
  created: number;
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
