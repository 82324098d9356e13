import path from 'node:path';
import type { Logger } from '../log.ts';
import { quarantineFile, readJson, writeJsonAtomic } from '../state-file.ts';

/** Communities remembered; a relay serves a handful. */
const MAX_COMMUNITIES = 1024;
const MAX_KEYS = 64;

/**
 * The relay keys each community's change-sets were last sealed to, kept in `<data-dir>/carriage-lists.json`
 * across restarts. A relay added to a community's list cannot open what was sealed before, and a
 * change-set depends on the ones before it: so when the list grows, the community's docs leave once more
 * whole (a full save, sealed to the new list) and the new relay can apply everything after. A removal
 * needs nothing: later change-sets are simply not sealed to it.
 */
export class CarriageLists {
  private lists = new Map<string, string[]>();
  private persist: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataDir: string,
    private readonly log: Logger,
  ) {}

  private get file(): string {
    return path.join(this.dataDir, 'carriage-lists.json');
  }

  async load(): Promise<void> {
    const stored = await readJson<unknown>(this.file, this.log);
    if (stored === undefined) return;
    const ok =
      typeof stored === 'object' &&
      stored !== null &&
      Object.keys(stored).length <= MAX_COMMUNITIES &&
      Object.values(stored).every((v) => Array.isArray(v) && v.length <= MAX_KEYS && v.every((k) => typeof k === 'string' && k.length <= 64));
    // Losing it costs at most one whole re-emission missed or made (a repeat is a no-op), not data.
    if (!ok) return quarantineFile(this.file, 'bad carriage lists', this.log);
    this.lists = new Map(Object.entries(stored as Record<string, string[]>));
  }

  /**
   * Records the keys `community`'s change-sets are sealed to now; true when one was not on the list
   * remembered before (never for the first list seen: what came before it was sealed to it, or clear).
   */
  grew(community: string, keys: readonly string[]): boolean {
    const before = this.lists.get(community);
    if (before && keys.length === before.length && keys.every((k) => before.includes(k))) return false;
    if (!before && this.lists.size >= MAX_COMMUNITIES) return false;
    this.lists.set(community, [...keys]);
    const state = Object.fromEntries(this.lists);
    this.persist = this.persist.then(() => writeJsonAtomic(this.file, state)).catch((err) => this.log.error({ err: String(err) }, 'carriage lists not saved'));
    return before !== undefined && keys.some((k) => !before.includes(k));
  }

  close(): Promise<void> {
    return this.persist;
  }
}
