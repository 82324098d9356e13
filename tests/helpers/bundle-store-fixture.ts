import { afterEach, beforeEach } from 'vitest';
import { BundleStore, type BundleMeta, type StoreLogger, type StoreOptions } from '../../relay/dtn/store/index.ts';
import { metaFor, payloadFor, removeDir, tempDir } from '../relay/fixtures/store-payload.ts';

/** The instant every bundle store test starts at; tests move `clock` from here by hand. */
export const T0 = 1_700_000_000_000;

export interface StoreWarning {
  obj: object;
  msg?: string;
}

export interface BundleStoreFixture {
  /** A fresh empty directory for each test, removed after it. */
  readonly dir: string;
  /** The store's "now"; reset to T0 before each test. */
  clock: number;
  /** What the stores opened in this test logged as warnings (emptied before each test). */
  readonly warnings: StoreWarning[];
  /** Opens a store on `dir` with the fixture's clock and logger; it is closed after the test. */
  open(opts?: StoreOptions): Promise<BundleStore>;
  /** Metadata for `id` created now, of the fixture's default size unless `over` says otherwise. */
  meta(id: string, over?: Partial<BundleMeta>): BundleMeta;
  /** Puts `id` with that metadata and the payload derived from the id (see payloadFor). */
  put(s: BundleStore, id: string, over?: Partial<BundleMeta>): Promise<string>;
}

/**
 * The surroundings of a bundle store test, registered as beforeEach/afterEach hooks of the calling
 * test file: every store test needs the same fresh directory, hand-moved clock, captured warnings
 * and closing of what it opened, and each file used to carry its own copy of them.
 */
export function bundleStoreFixture(cfg: { defaults?: StoreOptions; size: number; prefix?: string }): BundleStoreFixture {
  let dir = '';
  const warnings: StoreWarning[] = [];
  const opened: BundleStore[] = [];
  const logger: StoreLogger = { warn: (obj, msg) => warnings.push({ obj, msg }), info: () => undefined };
  const fx: BundleStoreFixture = {
    get dir() {
      return dir;
    },
    clock: T0,
    warnings,
    async open(opts = {}) {
      const s = await BundleStore.open(dir, { now: () => fx.clock, logger, ...cfg.defaults, ...opts });
      opened.push(s);
      return s;
    },
    meta(id, over = {}) {
      return metaFor(id, { size: cfg.size, ...over }, { now: fx.clock });
    },
    put(s, id, over = {}) {
      const m = fx.meta(id, over);
      return s.put(m, payloadFor(id, m.size));
    },
  };
  beforeEach(async () => {
    dir = await tempDir(cfg.prefix);
    fx.clock = T0;
    warnings.length = 0;
  });
  afterEach(async () => {
    // close() is idempotent, so a store a test closed itself is closed again harmlessly.
    for (const s of opened.splice(0)) await s.close();
    await removeDir(dir);
  });
  return fx;
}
