import { verifyRecord } from '../crypto/sign.ts';
import { can, type TrustContext } from '../trust/can.ts';
import { isEntryShape, openEntry } from './entry.ts';
import type { DecryptedEntry, Keyring, Rejection, SanctuaryEntryRecord } from './types.ts';

export type EntryRejection = 'malformed' | 'forged-signature' | 'forged-content' | 'author-not-steward' | 'no-key' | 'cannot-decrypt' | 'malformed-plaintext';

/** The later version wins: by `updated`, then epoch (a rotation's copy), then signature text. */
function newer(a: SanctuaryEntryRecord, b: SanctuaryEntryRecord): boolean {
  if (a.updated !== b.updated) return a.updated > b.updated;
  if (a.epoch !== b.epoch) return a.epoch > b.epoch;
  return a.sig > b.sig;
}

/**
 * Every entry this reader can trust and open: well-formed, signed, sealed under a key in the reader's
 * keyring, its content written by a steward by `ctx` (pass the community's shared context,
 * communityContext, so every phone agrees). The writer is the signer of the content inside the box; the
 * record around it may be signed by whoever sealed it (a steward who carried it into a new epoch, even
 * one who is no longer a steward), which changes nothing a reader sees. An entry sealed before content
 * was signed is its record's signer's. One (the latest) version per id, sorted by id. Never throws on
 * peer data.
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
    const reason = problemOf(r, verify);
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
    const c = opened.content;
    if (c && (c.id !== rec.id || c.created !== rec.created || c.updated !== rec.updated || !verify(c))) {
      rejected.push({ id: rec.id, reason: 'forged-content' });
      continue;
    }
    const author = c ? c.author : rec.author;
    if (!can(ctx, author, 'steward').allowed) {
      rejected.push({ id: rec.id, reason: 'author-not-steward' });
      continue;
    }
    const prev = best.get(rec.id);
    if (!prev || newer(rec, prev.rec)) {
      best.set(rec.id, { id: rec.id, author, epoch: rec.epoch, created: rec.created, updated: rec.updated, entry: opened.entry, content: c, rec });
    }
  }
  const entries = [...best.values()].map(({ rec: _r, ...e }) => e).sort((a, b) => cmp(a.id, b.id));
  return { entries, rejected: rejected.sort((a, b) => cmp(a.id, b.id) || cmp(a.reason, b.reason)) };
}

function problemOf(r: unknown, verify: (r: unknown) => boolean): EntryRejection | null {
  if (!isEntryShape(r)) return 'malformed';
  if (!verify(r)) return 'forged-signature';
  return null;
}

function idOf(r: unknown): string {
  const id = (r as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : '?';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
