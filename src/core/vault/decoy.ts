import nacl from 'tweetnacl';
import { SECRETBOX_NONCE_BYTES, SECRETBOX_OVERHEAD } from '../crypto/secretbox.ts';
import { toBase64Url, utf8 } from '../crypto/encoding.ts';
import { importIdentity, randomBytes, type Identity } from '../crypto/keys.ts';
import { VaultError, type Random } from './errors.ts';
import { subkey } from './kdf.ts';
import { openBytes, sealBytes } from './secretbox.ts';

/**
 * What the duress PIN opens: an app that looks like this person's (their display name, their community's
 * name) and holds nothing of theirs. The profile is sealed under the decoy key (derived from the duress
 * PIN only) and padded to one size; a phone without a duress PIN stores random bytes of the same size, so
 * the stored bytes do not tell whether a duress PIN exists.
 */
export interface DecoyProfile {
  name: string;
  communityName: string;
}

const PADDED = 256;
export const DECOY_SEALED_BYTES = SECRETBOX_NONCE_BYTES + PADDED + SECRETBOX_OVERHEAD;

export function sealDecoyProfile(key: Uint8Array, profile: DecoyProfile, random: Random = randomBytes): Uint8Array {
  const body = utf8.encode(JSON.stringify({ n: profile.name.slice(0, 60), c: profile.communityName.slice(0, 80) }));
  if (body.length > PADDED) throw new VaultError('malformed', 'decoy profile too long');
  const padded = new Uint8Array(PADDED).fill(0x20);
  padded.set(body);
  return sealBytes(key, padded, random);
}

/** Noise of the same size, for a phone without a duress PIN. */
export function decoyNoise(random: Random = randomBytes): Uint8Array {
  return random(DECOY_SEALED_BYTES);
}

/** The profile, or null when the key does not open it (noise, or altered bytes). */
export function openDecoyProfile(key: Uint8Array, sealed: unknown): DecoyProfile | null {
  if (!(sealed instanceof Uint8Array) || sealed.length !== DECOY_SEALED_BYTES) return null;
  try {
    const o = JSON.parse(utf8.decode(openBytes(key, sealed)).trimEnd()) as { n?: unknown; c?: unknown };
    return { name: typeof o.n === 'string' ? o.n : '', communityName: typeof o.c === 'string' ? o.c : '' };
  } catch {
    return null;
  }
}

/** The decoy's own keys: derived from the decoy key, so the same duress PIN always shows the same person. */
export function decoyIdentity(key: Uint8Array): Identity {
  const sign = nacl.sign.keyPair.fromSeed(subkey(key, 'spm/decoy/sign/v1'));
  return importIdentity({ signSecretKey: toBase64Url(sign.secretKey), boxSecretKey: toBase64Url(subkey(key, 'spm/decoy/box/v1')) });
}

/**
 * The founder key the decoy's invite names: real invites name one, so the decoy's must too or its shape
 * would give it away. Derived like the decoy's identity, so it is the same each time and founds nothing.
 */
export function decoyFounder(key: Uint8Array): string {
  return toBase64Url(nacl.sign.keyPair.fromSeed(subkey(key, 'spm/decoy/founder/v1')).publicKey);
}
