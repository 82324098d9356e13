import type { IntentRow } from '../../../src/client/local-store.ts';

/** An index row with only what the table reads: key, author, status, time (and a stand-in seal). */
export const indexRow = (author: string, id: number, updated: number, status: string, sealed = false): IntentRow => ({
  key: `${author}/${id}`,
  kind: 'offer',
  category: 'food',
  area: '',
  author,
  status,
  updated,
  record: null,
  ...(sealed ? { sealed: new Uint8Array([id]) } : {}),
});
