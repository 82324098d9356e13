import { createHash, X509Certificate } from 'node:crypto';
import { FINGERPRINT_WORDS, FINGERPRINT_WORDS_ES } from '../../src/core/trust/fingerprint.ts';

/** Eight words, 64 bits of the hash: enough that nobody makes another CA with the same words. */
const WORD_COUNT = 8;

export interface CaFingerprint {
  /** SHA-256 of the certificate, as phones show it in the certificate's details (AB:CD:…). */
  sha256: string;
  /** The first bytes of that hash as words (the word lists people already compare for vouching). */
  words: { en: string[]; es: string[] };
}

/**
 * What a person compares before trusting the community CA: the words the organiser reads out (or prints
 * beside the QR code) against the install page's, or the hex against the phone's certificate details.
 */
export function caFingerprint(cert: X509Certificate): CaFingerprint {
  const hash = createHash('sha256').update(cert.raw).digest();
  const bytes = [...hash.subarray(0, WORD_COUNT)];
  return {
    sha256: [...hash].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':'),
    words: { en: bytes.map((b) => FINGERPRINT_WORDS[b]), es: bytes.map((b) => FINGERPRINT_WORDS_ES[b]) },
  };
}
