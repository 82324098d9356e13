/**
 * What an agent says, in the reader's language: its sentence by key, with each parameter said the way the
 * language says it — the app's words, lists joined as the language joins them (Intl.ListFormat), times
 * in the reader's calendar and clock, default categories and areas translated (agents/lib/words.ts).
 */
import { sayAll, type Speaker } from '../../../agents/lib/words.ts';
import { areaName, categoryName, communityName } from './community-words.ts';
import { locale, t, tOr } from './index.svelte.ts';

function speaker(): Speaker {
  const lists = new Intl.ListFormat(locale.current, { style: 'long', type: 'conjunction' });
  const times = new Intl.DateTimeFormat(locale.current, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    word: (key) => t(key),
    list: (items) => lists.format(items),
    time: (ms) => times.format(new Date(ms)),
    category: categoryName,
    area: areaName,
    community: communityName,
  };
}

/** A summary or fact of an agent; its own English when the key is unknown (a newer hub's agent). */
export function agentText(key: string, params: Readonly<Record<string, string | number>>, english: string): string {
  return tOr(key, sayAll(params, speaker()), english);
}
