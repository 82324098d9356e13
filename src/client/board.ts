import type { Intent } from '../core/model/types.ts';
import { byNewest, matches, type IntentFilter } from '../core/model/query.ts';
import { noticeboard, type Noticeboard } from '../core/sanctuary/index.ts';
import type { IntentRow, IntentTable } from './local-store.ts';
import { Store } from './store.ts';
import type { PhoneVault } from './vault.ts';

const PAGE = 50;

export interface BoardState {
  /** The page of offers and needs the list shows, newest first. */
  intents: Intent[];
  /** How many match the filter in all (the list shows "more" below the page). */
  totalMatches: number;
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
  readonly state = new Store<BoardState>({ intents: [], totalMatches: 0 });
  private filter: IntentFilter = {};
  private limit = PAGE;
  private generation = 0;

  constructor(
    private readonly index: IntentTable,
    private readonly vault: PhoneVault,
    private readonly host: BoardHost,
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
   * Reads only as many rows as the page shows (newest first, stopping at `limit` matches) and counts
   * the rest separately, so the first list paints without reading every offer in the index.
   */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const now = Date.now();
    const f = this.filter;
    const rows = await this.index.newest((r) => {
      const rec = this.recordOf(r);
      return !!rec && matches(rec, f, now);
    }, this.limit);
    if (generation !== this.generation) return; // a newer refresh started meanwhile: its answer wins
    const intents = rows.map((r) => this.recordOf(r)!).sort(byNewest);
    const totalMatches = rows.length < this.limit ? rows.length : await this.countMatches(f, now);
    this.state.set({ intents, totalMatches });
  }

  private countMatches(f: IntentFilter, now: number): Promise<number> {
    const unfiltered = !f.text && !f.kind && !f.category && !f.area && !f.includeClosed;
    return this.index.countOpen((r) => {
      const rec = this.recordOf(r);
      return !!rec && (unfiltered ? rec.expires === undefined || rec.expires > now : matches(rec, f, now));
    });
  }

  /** A sealed row is read only with the data key, and only if the viewer may see that audience. */
  private recordOf(r: IntentRow): Intent | null {
    if (r.record) return r.record;
    if (!r.sealed || !this.vault.dek) return null;
    try {
      const rec = this.vault.open<Intent>(r.sealed);
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
