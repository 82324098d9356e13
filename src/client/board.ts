import type { Intent } from '../core/model/types.ts';
import { byNewest, matches, type IntentFilter } from '../core/model/query.ts';
import { noticeboard, type Noticeboard } from '../core/sanctuary/index.ts';
import type { IntentRow, IntentTable } from './local-store.ts';
import type { SealedRows } from './sealed-rows.ts';
import { Store } from './store.ts';
import type { PhoneVault } from './vault.ts';

const PAGE = 50;

const sameRows = (a: IntentRow[], b: IntentRow[]) => a.length === b.length && a.every((r, i) => r.key === b[i].key && r.updated === b[i].updated);

export interface BoardState {
  /** The page of offers and needs the list shows, newest first. */
  intents: Intent[];
  /** How many match the filter in all (the list shows "more" below the page). */
  totalMatches: number;
  /** The page is shown but not yet counted for this filter (the count line says so instead of a number). */
  counting: boolean;
}

/** What the board needs to open sealed rows: whose they are, and whether I may see members-only posts. */
export interface BoardHost {
  me(): string | undefined;
  seeMembers(): boolean;
}

/**
 * The offers and needs list, read from the phone's index (not the docs), so the first page paints before
 * Automerge has even loaded. Sealed rows are opened with the data key, and only if I may see them.
 */
export class Board {
  readonly state = new Store<BoardState>({ intents: [], totalMatches: 0, counting: false });
  private filter: IntentFilter = {};
  private limit = PAGE;
  private generation = 0;
  /** The filter the shown count belongs to: while it is counted again, that count stays on screen. */
  private countedFilter?: IntentFilter;

  constructor(
    private readonly index: IntentTable,
    private readonly vault: PhoneVault,
    private readonly host: BoardHost,
    /** Sealed rows opened once per session (shared with the community read). */
    private readonly sealedRows: SealedRows,
  ) {}

  async setFilter(f: IntentFilter): Promise<void> {
    this.filter = f;
    this.limit = PAGE;
    await this.refresh();
  }

  async showMore(): Promise<void> {
    this.limit += PAGE;
    await this.refresh();
  }

  /**
   * Reads only as many rows as the page shows (newest first, stopping at `limit` matches) and shows
   * them, then counts the rest, so the first list paints without reading (and, for members-only
   * posts, opening) every post in the index. Until a filter's first count is in, the count line says
   * "newest N"; a recount keeps the last count on screen. `paintFirst`: what to wait for once a first
   * page is shown from the index's head, before every row is read.
   */
  async refresh(paintFirst?: () => Promise<void>): Promise<void> {
    const generation = ++this.generation;
    const now = Date.now();
    const f = this.filter;
    const keep = (r: IntentRow) => {
      const rec = this.recordOf(r);
      return !!rec && matches(rec, f, now);
    };
    // On a start, the index's head can give the page before every row is read (a restart with 10,000
    // posts paints without waiting on them); the rows read in full follow and replace it if they differ.
    const early = await this.index.newestEarly(keep, this.limit);
    if (generation !== this.generation) return; // a newer refresh started meanwhile: its answer wins
    if (early) {
      this.state.set({ intents: this.recordsOf(early), ...(this.countedFilter === f ? {} : { totalMatches: early.length, counting: true }) });
      // Reading every row takes the main thread (10,000 rows: about 0.3 s at 4x CPU throttle): the
      // caller can hold it until the page it has is on screen.
      await paintFirst?.();
    }
    const rows = await this.index.newest(keep, this.limit);
    if (generation !== this.generation) return;
    // The same rows as the head gave keep the cards already drawn (no second render of the page).
    const intents = early && sameRows(early, rows) ? this.state.state.intents : this.recordsOf(rows);
    if (rows.length < this.limit) {
      this.countedFilter = f;
      return this.state.set({ intents, totalMatches: rows.length, counting: false });
    }
    this.state.set(this.countedFilter === f ? { intents } : { intents, totalMatches: rows.length, counting: true });
    const totalMatches = await this.countMatches(f, now);
    if (generation !== this.generation) return;
    this.countedFilter = f;
    this.state.set({ totalMatches, counting: false });
  }

  private recordsOf(rows: IntentRow[]): Intent[] {
    return rows.map((r) => this.recordOf(r)!).sort(byNewest);
  }

  private countMatches(f: IntentFilter, now: number): Promise<number> {
    const unfiltered = !f.text && !f.kind && !f.category && !f.area && !f.includeClosed;
    return this.index.countOpen((r) => {
      const rec = this.recordOf(r);
      return !!rec && (unfiltered ? rec.expires === undefined || rec.expires > now : matches(rec, f, now));
    });
  }

  /**
   * A sealed row is read only with the data key, and only if the viewer may see that audience (asked
   * first: someone who may not see them costs no opening at all).
   */
  private recordOf(r: IntentRow): Intent | null {
    if (r.record) return r.record;
    if (!r.sealed || !this.vault.dek) return null;
    if (r.author !== this.host.me() && !this.host.seeMembers()) return null;
    try {
      const rec = this.sealedRows.open(r.sealed);
      return rec.author === this.host.me() || this.host.seeMembers() ? rec : null;
    } catch {
      return null;
    }
  }

  async find(key: string): Promise<Intent | undefined> {
    const row = await this.index.get(key);
    return row ? (this.recordOf(row) ?? undefined) : undefined;
  }

  /** Current public offers and needs for the printed noticeboard (all of them, not one page). */
  async noticeboard(area?: string): Promise<Noticeboard> {
    const rows = await this.index.open();
    // Sealed rows are not public: the board lists public posts only.
    return noticeboard(rows.flatMap((r) => (r.record ? [r.record] : [])), { now: Date.now(), area });
  }
}
