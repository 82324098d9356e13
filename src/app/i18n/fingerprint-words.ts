/** A person's check words in the reader's language (Spanish has its own list; the pictures are the same in both). */
import { FINGERPRINT_WORDS, FINGERPRINT_WORDS_ES, fingerprintWords } from '../../core/trust/index.ts';
import { locale } from './index.svelte.ts';

export function checkWords(agentId: string): string[] {
  return fingerprintWords(agentId, 6, locale.current === 'es' ? FINGERPRINT_WORDS_ES : FINGERPRINT_WORDS);
}
