import type { FsOps } from './fs-ops.ts';
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
