import type { DocumentId, Repo } from '@automerge/automerge-repo';
import type { Logger } from '../log.ts';

/** First retry of a doc that could not be emitted; doubles on each failure up to RETRY_MAX_MS. */
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 5 * 60_000;

export type RetryReason = 'not-ready' | 'refused';

/**
 * Docs whose change-set could not leave yet, and when to try again: a doc not loaded yet (maybe one that
 * exists nowhere on this island: counted missing), or one whose change-set the store refused (full,
 * read-only disk). Each doc is retried with a backoff, so neither costs a flush every half second for ever.
 */
export class EmitRetries {
  /** Docs retried because they were not loaded. */
  readonly retrying = new Set<string>();
  /** Docs whose load timed out: named in no store on this island (yet). */
  private readonly missing = new Set<string>();
  /** Docs whose change-set the store refused. */
  private readonly refused = new Set<string>();
  private readonly attempts = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly repo: Repo,
    /** Marks the doc for the next flush. */
    private readonly again: (id: string) => void,
    private readonly log: Logger,
    /** automerge-repo's own give-up (~60 s) is not configurable per find; status must not wait on it. */
    private readonly missingAfterMs: number,
  ) {}

  /** The store refused this doc's change-set: logged once per streak, the edit stays in the doc. */
  storeRefused(id: string, err: unknown): void {
    if (!this.refused.has(id)) this.log.warn({ doc: id, err: String(err) }, 'change-set not stored; retrying with backoff');
    this.refused.add(id);
  }

  /** A doc emitted (or with nothing to emit): its retry state goes. */
  settled(id: string): void {
    this.retrying.delete(id);
    this.missing.delete(id);
    this.refused.delete(id);
    this.attempts.delete(id);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  /** Tries the doc again after a backoff (RETRY_BASE_MS doubling to RETRY_MAX_MS). */
  later(id: string, why: RetryReason): void {
    if (why === 'not-ready' && !this.retrying.has(id)) {
      this.retrying.add(id);
      const handle = this.repo.handles[id as DocumentId];
      this.log.debug({ doc: id, state: handle?.state ?? 'none' }, 'doc not loaded yet; retrying');
      // Emit the moment it is ready rather than at the next retry, while a bridge may be leaving. A
      // doc that exists nowhere counts as missing after --missing-after-ms, or when automerge-repo's own
      // timeout rejects here, whichever comes first.
      const counted = (err: unknown): void => {
        if (this.missing.has(id) || !this.retrying.has(id)) return;
        this.missing.add(id);
        this.log.warn({ doc: id, err: String(err) }, 'doc not found on this island; retrying with backoff');
      };
      handle?.whenReady().then(() => this.again(id), counted);
      const t = setTimeout(() => {
        if (!this.repo.handles[id as DocumentId]?.isReady()) counted(`not found within ${this.missingAfterMs} ms`);
      }, this.missingAfterMs);
      t.unref();
    }
    if (this.timers.has(id) || this.closed) return;
    const n = this.attempts.get(id) ?? 0;
    this.attempts.set(id, n + 1);
    const t = setTimeout(() => {
      this.timers.delete(id);
      this.again(id);
    }, Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(n, 20)));
    t.unref();
    this.timers.set(id, t);
  }

  /** Docs retried because they were not loaded and now on their way in (a phone is pushing them) or just arrived. */
  loading(): string[] {
    return [...this.retrying].filter((id) => this.repo.handles[id as DocumentId]?.inState(['idle', 'loading', 'requesting', 'ready']));
  }

  /** Counts only: a doc ID is a read capability, and /api/status answers anyone on the network. */
  status(): { missing: number; refusedByStore: number } {
    return { missing: this.missing.size, refusedByStore: this.refused.size };
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
  }
}
