import { planEviction } from '../../relay/dtn/store/evict.ts';
import { LiveView } from '../../relay/dtn/store/live-view.ts';
import type { Entry } from '../../relay/dtn/store/scan.ts';
import type { BundleMeta, ListFilter, PutResult } from '../../relay/dtn/store/types.ts';

const HIGH_WATER = 0.95;
const LOW_WATER = 0.9;
const LOCAL_HEADROOM = 0.05;

/**
 * A relay's bundle store in memory, on the simulated clock: the real store's listing (LiveView: live
 * bundles only, send order) and its eviction plan (planEviction: by priority, received before local,
 * oldest first, down to the low-water mark, with headroom only local bundles may use), without files
 * or journal. What the routers see of it is what they see of BundleStore.
 */
export class SimStore {
  private readonly index = new Map<string, Entry>();
  private readonly live: LiveView;
  private used = 0;
  peakBytes = 0;
  evictions = 0;
  refusedFull = 0;

  constructor(
    readonly byteBudget: number,
    now: () => number,
  ) {
    this.live = new LiveView(this.index, now);
  }

  get bytes(): number {
    return this.used;
  }

  has(id: string): boolean {
    return this.live.entry(id) !== undefined;
  }

  ids(): string[] {
    return this.live.ids();
  }

  list(filter: ListFilter = {}): BundleMeta[] {
    return this.live.list(filter);
  }

  meta(id: string): BundleMeta | undefined {
    return this.live.entry(id)?.meta;
  }

  put(meta: BundleMeta): PutResult {
    if (this.index.has(meta.id)) return this.has(meta.id) ? 'duplicate' : 'expired';
    if (this.live.expired(meta)) return 'expired';
    if (meta.size > this.byteBudget * LOW_WATER) return 'rejected-too-large';
    const cut = meta.local ? 0 : Math.floor(LOCAL_HEADROOM * this.byteBudget);
    const victims = planEviction({
      entries: this.index.values(),
      used: this.used,
      incoming: { meta, fileBytes: meta.size },
      high: HIGH_WATER * this.byteBudget - cut,
      low: LOW_WATER * this.byteBudget - cut,
      isExpired: (m) => this.live.expired(m),
    });
    if (!victims) {
      this.refusedFull++;
      return 'rejected-full';
    }
    for (const v of victims) {
      if (!this.live.expired(v.meta)) this.evictions++;
      this.delete(v.meta.id);
    }
    this.index.set(meta.id, { meta: { ...meta }, fileBytes: meta.size, name: meta.id });
    this.used += meta.size;
    this.peakBytes = Math.max(this.peakBytes, this.used);
    return 'stored';
  }

  delete(id: string): void {
    const e = this.index.get(id);
    if (!e) return;
    this.index.delete(id);
    this.used -= e.fileBytes;
  }
}
