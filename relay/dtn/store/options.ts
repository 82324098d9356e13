import { nodeFsOps, type FsOps } from './fs-ops.ts';
import type { StoreLogger } from './types.ts';

export const DEFAULT_BYTE_BUDGET = 2 * 1024 ** 3;

export interface StoreOptions {
  /** bytes of bundle files the directory may hold (default 2 GiB) */
  byteBudget?: number;
  /** when stored + incoming bytes would pass highWater × budget, evict… (default 0.95) */
  highWater?: number;
  /** …down to lowWater × budget (default 0.90) */
  lowWater?: number;
  now?: () => number;
  logger?: StoreLogger;
  /** replaced in tests to simulate a full or failing disk */
  fs?: FsOps;
  /** share of the budget only locally originated bundles may use (default 0.05) */
  localHeadroom?: number;
  /** first probe write after a disk failure, doubling up to 60 s (default 1000) */
  probeMs?: number;
}

export const stderrLogger: StoreLogger = {
  warn: (obj, msg) => process.stderr.write(JSON.stringify({ level: 'warn', msg, ...obj }) + '\n'),
  info: () => undefined,
};

/** Options with defaults filled in and their ranges checked; the water marks and headroom in bytes. */
export interface ResolvedOptions {
  byteBudget: number;
  high: number;
  low: number;
  /** received bundles stop (and evict down to) this much lower, so the island's own changes still fit */
  headroom: number;
  fs: FsOps;
  logger: StoreLogger;
  now: () => number;
  probeMs: number;
}

export function resolveOptions(opts: StoreOptions): ResolvedOptions {
  const budget = opts.byteBudget ?? DEFAULT_BYTE_BUDGET;
  const high = opts.highWater ?? 0.95;
  const low = opts.lowWater ?? 0.9;
  if (!Number.isSafeInteger(budget) || budget <= 0) throw new RangeError('byteBudget must be a positive integer');
  if (!(low > 0 && low <= high && high <= 1)) throw new RangeError('need 0 < lowWater <= highWater <= 1');
  const headroom = opts.localHeadroom ?? 0.05;
  if (!(headroom >= 0 && headroom < low)) throw new RangeError('need 0 <= localHeadroom < lowWater');
  const lowBytes = Math.floor(low * budget);
  return {
    byteBudget: budget,
    high: Math.floor(high * budget),
    low: lowBytes,
    headroom: Math.min(Math.floor(headroom * budget), lowBytes - 1),
    fs: opts.fs ?? nodeFsOps,
    logger: opts.logger ?? stderrLogger,
    now: opts.now ?? Date.now,
    probeMs: opts.probeMs ?? 1000,
  };
}
