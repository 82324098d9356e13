import { verifyRecord } from '../crypto/sign.ts';
import { can, type TrustContext } from '../trust/can.ts';
import { isEntryShape, openEntry } from './entry.ts';
import type { DecryptedEntry, Keyring, Rejection, SanctuaryEntryRecord } from './types.ts';

export type EntryRejection = 'malformed' | 'forged-signature' | 'author-not-steward' | 'no-key' | 'cannot-decrypt' | 'malformed-plaintext';

/** The later version wins: by `updated`, then epoch (a rotation's copy), then signature text. */
function newer(a: SanctuaryEntryRecord, b: SanctuaryEntryRecord): boolean {
  if (a.updated !== b.updated) return a.updated > b.updated;
  if (a.epoch !== b.epoch) return a.epoch > b.epoch;
  return a.sig > b.sig;
}

/**
 * Every entry this reader can trust and open: well-formed, signed, written by a steward by `ctx` (pass
 * the community's shared context, communityContext, so every phone agrees), sealed under a key in the
 * reader's keyring. One (the latest) version per id,
 * sorted by id. Never throws on peer data.
 */
export function collectEntries(
  records: Iterable<unknown>,
  keyring: Keyring,
  ctx: TrustContext,
  verify: (r: unknown) => boolean = verifyRecord,
): { entries: DecryptedEntry[]; rejected: Rejection<EntryRejection>[] } {
  const best = new Map<string, DecryptedEntry & { rec: SanctuaryEntryRecord }>();
  const rejected: Rejection<EntryRejection>[] = [];
  for (const r of records) {
    const reason = problemOf(r, ctx, verify);
    if (reason) {
      rejected.push({ id: idOf(r), reason });
      continue;
    }
    const rec = r as SanctuaryEntryRecord;
    const opened = openEntry(rec, keyring);
    if (!opened.ok) {
      rejected.push({ id: rec.id, reason: opened.reason });
      continue;
    }
    const prev = best.get(rec.id);
    if (!prev || newer(rec, prev.rec)) {
      best.set(rec.id, { id: rec.id, author: rec.author, epoch: rec.epoch, created: rec.created, updated: rec.updated, entry: opened.entry, rec });
    }
  }
  const entries = [...best.values()].map(({ rec: _r, ...e }) => e).sort((a, b) => cmp(a.id, b.id));
  return { entries, rejected: rejected.sort((a, b) => cmp(a.id, b.id) || cmp(a.reason, b.reason)) };
}

function problemOf(r: unknown, ctx: TrustContext, verify: (r: unknown) => boolean): EntryRejection | null {
  if (!isEntryShape(r)) return 'malformed';
  if (!verify(r)) return 'forged-signature';
  if (!can(ctx, r.author, 'steward').allowed) return 'author-not-steward';
  return null;
}

function idOf(r: unknown): string {
  const id = (r as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : '?';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
