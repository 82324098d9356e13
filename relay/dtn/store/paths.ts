import { randomBytes } from 'node:crypto';
import { hex, sha256 } from './record.ts';

export const BUNDLE_SUFFIX = '.bundle';
export const TEMP_PREFIX = '.tmp-';
export const QUARANTINE_DIR = 'quarantine';
export const JOURNAL_DIR = 'journal';

const BUNDLE_NAME = /^[0-9a-f]{64}\.bundle$/;

/** Ids are arbitrary peer-chosen strings: never put them in a path, put their hash there. */
export function fileNameFor(id: string): string {
  return hex(sha256(new TextEncoder().encode(id))) + BUNDLE_SUFFIX;
}

export function tempName(): string {
  return TEMP_PREFIX + randomBytes(12).toString('hex');
}

export function isBundleName(name: string): boolean {
  return BUNDLE_NAME.test(name);
}

export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}
