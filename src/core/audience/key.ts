import { sha256 } from '@noble/hashes/sha2.js';
import { SECRETBOX_KEY_BYTES } from '../crypto/secretbox.ts';
import { toBase64Url, utf8 } from '../crypto/encoding.ts';
import { randomBytes } from '../crypto/keys.ts';
import { AudienceInputError } from './errors.ts';
import { isEpoch } from './shape.ts';
import type { EpochKey } from './types.ts';

export type Random = (n: number) => Uint8Array;

export function newEpochKey(epoch: number, random: Random = randomBytes): EpochKey {
  if (!isEpoch(epoch)) throw new AudienceInputError('bad-epoch', 'epoch must be a non-negative safe integer');
  return { epoch, key: random(SECRETBOX_KEY_BYTES) };
}

const KID_DOMAIN = utf8.encode('solarpunk-mesh audience key id v1');

/**
 * A key's public id: 16 bytes of SHA-256 over a domain tag and the key. Safe to publish (the key is
 * 32 random bytes), and it gives every replica the same order of concurrent keys of one epoch: the
 * smallest id wins, so stewards who rotated at once all seal with the same key afterwards.
 */
export function keyId(key: Uint8Array): string {
  const input = new Uint8Array(KID_DOMAIN.length + key.length);
  input.set(KID_DOMAIN);
  input.set(key, KID_DOMAIN.length);
  return toBase64Url(sha256(input).subarray(0, 16));
}

export const KID_LENGTH = 22;
