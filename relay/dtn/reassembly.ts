import {
  DEFAULT_REASSEMBLY_LIMITS,
  Reassembler,
  bundleId,
  decodeBundle,
  encodeBundle,
  originalBundleId,
  type Bundle,
  type ReassemblyLimits,
} from '../../src/core/dtn/index.ts';
import type { Logger } from '../log.ts';
import type { BundleStore, PutResult } from './store/index.ts';

/** A fragment's id has two more fields (offset, length) than a whole bundle's; see bundleId(). */
const FRAGMENT_ID = /^\S+ \d+ \d+ \d+ \d+$/;

/**
 * The relay's side of RFC 9171 §5.9. Fragments are taken into custody (the store) like any bundle;
 * here their payloads are collected in memory (bounded) until one bundle is complete. The whole
 * bundle is then stored, its fragments deleted, and it is delivered once: the store's copy of the
 * whole is what says "done", across restarts too, so late or resent fragments are not kept again.
 */
export class FragmentReassembly {
  private readonly reassembler: Reassembler;
  /** Stored fragment ids per incomplete bundle, deleted once the whole is stored. */
  private readonly fragments = new Map<string, Set<string>>();

  constructor(
    private readonly store: BundleStore,
    /** Takes custody of the reassembled bundle (the node fills in its store metadata, judging it by its stored fragments). */
    private readonly keep: (whole: Bundle, bytes: Uint8Array, fragmentIds: readonly string[]) => Promise<PutResult>,
    private readonly log: Logger,
    limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS,
  ) {
    this.reassembler = new Reassembler(limits, (id, reason) => {
      this.fragments.delete(id);
      this.log.warn({ id, reason }, 'reassembly: incomplete bundle dropped from memory (its fragments stay stored and are forwarded)');
    });
  }

  /** True when the bundle a fragment belongs to is already held whole, so the fragment need not be kept. */
  hasWhole(fragment: Bundle): boolean {
    return this.store.has(originalBundleId(fragment));
  }

  /** A fragment now in custody. Resolves to the whole bundle the first time it is complete and stored. */
  async take(fragment: Bundle): Promise<Bundle | undefined> {
    const result = this.reassembler.add(fragment);
    const fid = bundleId(fragment);
    switch (result.kind) {
      case 'pending': {
        const ids = this.fragments.get(result.id) ?? new Set<string>();
        ids.add(fid);
        this.fragments.set(result.id, ids);
        return undefined;
      }
      case 'already-complete':
        await this.store.delete(fid);
        return undefined;
      case 'refused':
        this.log.info({ id: fid, reason: result.reason }, 'reassembly: fragment not reassembled here (kept and forwarded)');
        return undefined;
      case 'complete':
        return this.complete(result.id, result.bundle, [...(this.fragments.get(result.id) ?? []), fid]);
    }
  }

  private async complete(id: string, whole: Bundle, fragmentIds: string[]): Promise<Bundle | undefined> {
    this.fragments.delete(id);
    let put: PutResult;
    try {
      put = await this.keep(whole, encodeBundle(whole), fragmentIds);
    } catch (err) {
      this.log.warn({ id, err: String(err) }, 'reassembly: reassembled bundle not stored (fragments kept)');
      return undefined;
    }
    if (put !== 'stored' && put !== 'duplicate') {
      this.log.warn({ id, result: put }, 'reassembly: reassembled bundle not stored (fragments kept)');
      return undefined;
    }
    await Promise.all(fragmentIds.map((f) => this.store.delete(f)));
    this.log.info({ id, fragments: fragmentIds.length, bytes: whole.payload.data.length }, 'bundle reassembled from fragments');
    return put === 'stored' ? whole : undefined;
  }

  /**
   * At start: fragments stored before a restart are collected again. Bounded by the store; a bundle
   * completed here is stored whole before any consumer replays the store.
   */
  async restore(): Promise<void> {
    for (const m of this.store.list({ where: (m) => FRAGMENT_ID.test(m.id) })) {
      const bytes = await this.store.get(m.id);
      const decoded = bytes && decodeBundle(bytes);
      if (!decoded || !decoded.ok || !decoded.bundle.primary.fragment) continue;
      if (this.hasWhole(decoded.bundle)) await this.store.delete(m.id);
      else await this.take(decoded.bundle);
    }
  }
}
