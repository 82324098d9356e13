import { SealedMemo } from '../core/model/sealed-memo.ts';
import type { Intent } from '../core/model/types.ts';
import { intentRow, type IntentRow, type IntentTable } from './local-store.ts';
import type { SealedRows } from './sealed-rows.ts';

/**
 * Each author's posts in the phone's index, kept so that reading a feed again — after each change, and
 * at each start — costs only what changed (issues #17, #18): a members-only post opened once is
 * recalled from its row (which notes the sealed entry it came from) instead of being decrypted and
 * signature-checked again, and rows that did not change are not sealed and written again.
 */
export class AuthorRows {
  /** Each author's sealed entries opened so far: filled from the index rows at the first read after a start. */
  private memos = new Map<string, SealedMemo>();
  /** Each author's rows as the index holds them (post key → what the row was made from). */
  private written = new Map<string, Map<string, string>>();

  constructor(
    private readonly index: IntentTable,
    private readonly sealedRows: SealedRows,
  ) {}

  /**
   * The sealed entries of this author's feed opened before: at the first read after a start, from the
   * index rows (each row's post, with the entry it came from); from then on, kept in memory.
   */
  async memoOf(author: string): Promise<SealedMemo> {
    const known = this.memos.get(author);
    if (known) return known;
    const memo = new SealedMemo();
    const written = new Map<string, string>();
    for (const row of await this.index.byAuthor(author)) {
      const source = this.sealedRows.source(row);
      const record = row.record ?? (source && row.sealed ? this.openRow(row.sealed) : null);
      if (!record) continue; // a row that does not open (or notes no source) is written again from the feed
      written.set(row.key, rowState(record, source?.digest));
      if (source && !row.record) memo.load([{ ...source, record: record as unknown as Record<string, unknown> }]);
    }
    // Another read may have filled it meanwhile (reads of one author are queued, but be sure).
    const raced = this.memos.get(author);
    if (raced) return raced;
    this.memos.set(author, memo);
    this.written.set(author, written);
    return memo;
  }

  /**
   * Replaces this author's rows in the index with `intents`, writing only the rows that changed: a
   * members-only post is sealed under the data key with the entry it was opened from (`memo`), so the
   * next start recalls it from there. `keepSealed`: the phone does not know its members' keys yet (just
   * started), so the members-only rows it listed before stay rather than vanish and come back.
   */
  async write(author: string, intents: readonly Intent[], memo: SealedMemo, keepSealed = false): Promise<void> {
    const before = this.written.get(author) ?? new Map<string, string>();
    const now = new Map<string, string>();
    const rows: IntentRow[] = [];
    const unchanged = new Set<string>();
    for (const i of intents) {
      const key = `${i.author}/${i.id}`;
      const source = i.audience === 'public' ? undefined : memo.sourceOf(i);
      const state = rowState(i, source?.digest);
      now.set(key, state);
      if (before.get(key) === state) {
        unchanged.add(key);
        continue;
      }
      const row = intentRow(i, (x) => this.sealedRows.seal(x));
      if (row.sealed && source) row.opened = this.sealedRows.sealSource(row.sealed, source);
      rows.push(row);
    }
    if (keepSealed) {
      for (const [key, state] of before) {
        if (now.has(key) || !isSealedState(state)) continue;
        unchanged.add(key);
        now.set(key, state);
      }
    }
    await this.index.replaceAuthor(author, rows, unchanged);
    this.written.set(author, now);
  }

  /** A removed member: what was remembered of their feed goes (their rows are deleted by the caller). */
  forget(author: string): void {
    this.memos.delete(author);
    this.written.delete(author);
  }

  private openRow(sealed: Uint8Array): Intent | null {
    try {
      return this.sealedRows.open(sealed);
    } catch {
      return null;
    }
  }
}

/** What an index row is made from: the post's signature (its signed contents) and, sealed, the entry it was opened from. */
function rowState(i: Pick<Intent, 'sig'>, digest: string | undefined): string {
  return `${i.sig}|${digest ?? ''}`;
}

/** Whether a row was made from a sealed entry (a members-only post opened with a members' key). */
function isSealedState(state: string): boolean {
  return !state.endsWith('|');
}
