import type { Audience } from '../../../src/core/protocol/audience.ts';
import type { Priority } from '../../../src/core/protocol/priority.ts';

/** One Priority and one Audience for phone, bundle and store (src/core/protocol). */
export { AUDIENCES, type Audience } from '../../../src/core/protocol/audience.ts';
export { PRIORITIES, type Priority } from '../../../src/core/protocol/priority.ts';

/** What the caller extracted from a bundle; the store never parses bundle bytes itself. */
export interface BundleMeta {
  id: string;
  source: string;
  destination: string;
  priority: Priority;
  audience: Audience;
  /** unix ms */
  createdAt: number;
  /** unix ms; the bundle is dead from this instant on */
  expiresAt: number;
  /** payload length in bytes; must equal the bytes handed to put() */
  size: number;
  /** pinned bundles are evicted only after every unpinned one */
  pinned?: boolean;
  /**
   * Originated on this relay (the island's own changes), not received from a neighbour: it may use the
   * headroom kept for local data, and received data never evicts it at equal or lower priority.
   */
  local?: boolean;
  /**
   * Received from a hop that proved nothing about itself (received-policy.ts): evicted before any bundle
   * an authenticated relay or a member brought, whatever their priorities, so a stranger's flood can only
   * push out other strangers' bundles.
   */
  anonymous?: boolean;
}

export type PutResult = 'stored' | 'duplicate' | 'expired' | 'rejected-too-large' | 'rejected-full';

export interface ListFilter {
  priorities?: readonly Priority[];
  audiences?: readonly Audience[];
  destination?: string;
  /** ids to leave out, e.g. what a peer's summary vector says it already holds */
  exclude?: ReadonlySet<string>;
  where?: (meta: BundleMeta) => boolean;
  limit?: number;
}

export interface BucketStats {
  count: number;
  bytes: number;
}

/** `full`: the last put of received or of local data was refused for room; `read-only`: the disk failed. */
export type StoreState = 'ok' | 'full' | 'read-only';

export interface StoreStats extends BucketStats {
  byteBudget: number;
  state: StoreState;
  /** journal segments not checkpointed yet: they count against the budget too */
  journalBytes: number;
  /** puts refused for room since open, received and local */
  refusedFull: { received: number; local: number };
  /** the failure that made the store read-only, while it is */
  readOnlyReason?: string;
  /** bytes reserved by puts still being written */
  pendingBytes: number;
  byPriority: Record<Priority, BucketStats>;
  /** bundles this relay originated (the island's own data), included in the totals above */
  local: BucketStats;
  /** bundles received from anonymous hops (evicted first), included in the totals above */
  anonymous: BucketStats;
}

/** pino's Logger satisfies this. */
export interface StoreLogger {
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
}
