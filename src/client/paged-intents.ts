import type { IntentRow, IntentTable } from './local-store.ts';

/** Rows of one author kept together in one stored value: a bucket of their posts. */
export interface IntentPage {
  id: string;
  author: string;
  bucket: number;
  rows: IntentRow[];
}

/**
 * The newest rows of the whole index, kept beside the pages and written in the same transaction: a
 * restart paints its first page from this one small value instead of reading every page first.
 * `complete`: these are all the rows there are.
 */
export interface IntentHead {
  rows: IntentRow[];
  complete: boolean;
}

/** Where the pages live: IndexedDB on a phone (platform/local-db.ts), a Map in Node. */
export interface IntentPageStore {
  all(): Promise<IntentPage[]>;
  /** The head last written with the pages (undefined before any write by a build that keeps one). */
  head(): Promise<IntentHead | undefined>;
  /** One atomic write: `put` stored, `remove` (page ids) gone, and the head when it changed. */
  write(put: IntentPage[], remove: string[], head?: IntentHead): Promise<void>;
}

/**
 * Rows per bucket, about. Each stored value is a bucket of one author's rows, not one row: Chromium's
 * IndexedDB spends about a millisecond per value written (more with secondary indexes), so a newcomer's
 * 10,000 posts, one value each, took 16.5 s to write — most of a join (bench/lib/profile-join.ts); as
 * 40 values of 256 they take a fraction of a second. A later edit rewrites one bucket (~256 KB).
 */
export const BUCKET_ROWS = 256;

/** Buckets for `n` rows: a power of two, so a growing author re-buckets rarely. */
export function bucketCount(n: number, rowsPerBucket = BUCKET_ROWS): number {
  if (n === 0) return 0;
  let b = 1;
  while (b * rowsPerBucket < n) b *= 2;
  return b;
}

/** FNV-1a of the key: spreads one author's rows over their buckets the same way on every start. */
export function bucketOf(key: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % buckets;
}

/**
 * Rows in the head: the list's first page is 50 matches, and the default list (open, unexpired posts)
 * skips few of the newest rows. A filter the head cannot answer waits for every page, as before.
 */
export const HEAD_ROWS = 128;

/**
 * More buckets than one author can need (16 million posts at 256 a bucket). A larger number read from
 * storage is damage, and would make the next write of that author walk that many page ids to remove.
 */
const MAX_BUCKETS = 1 << 16;

const wellFormedRow = (r: unknown): r is IntentRow => typeof (r as IntentRow | null)?.key === 'string' && typeof (r as IntentRow).author === 'string' && typeof (r as IntentRow).updated === 'number';

const wellFormed = (p: unknown): p is IntentPage => {
  const q = p as Partial<IntentPage> | null;
  return typeof q === 'object' && q !== null && typeof q.author === 'string' && Number.isSafeInteger(q.bucket) && q.bucket! >= 0 && q.bucket! < MAX_BUCKETS && Array.isArray(q.rows) && q.rows.every((r) => wellFormedRow(r) && r.author === q.author);
};

const wellFormedHead = (h: unknown): h is IntentHead => {
  const q = h as Partial<IntentHead> | null;
  return typeof q === 'object' && q !== null && typeof q.complete === 'boolean' && Array.isArray(q.rows) && q.rows.every(wellFormedRow);
};

/**
 * Rows are kept as IndexedDB keeps them: plain structured clones. A record read from an Automerge doc
 * carries the doc's hidden object ids; written back into a doc (a post's status changed from its detail
 * page) Automerge refuses it as "a reference to an existing document object".
 */
const plain = (r: IntentRow): IntentRow => structuredClone(r);

const pageId = (author: string, bucket: number) => `${author}\u0000${bucket}`;

/** Newest first; rows written at the same moment by key, descending (as the old `updated` index read them). */
const newestFirst = (a: IntentRow, b: IntentRow) => b.updated - a.updated || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0);

/** The `size` newest of `rows`, newest first, in one pass (a write must not sort the whole index). */
function newestOf(rows: Iterable<IntentRow>, size: number): IntentHead {
  const top: IntentRow[] = [];
  let seen = 0;
  for (const r of rows) {
    seen++;
    if (top.length === size && newestFirst(r, top[size - 1]) >= 0) continue;
    let i = top.length === size ? size - 1 : top.length;
    while (i > 0 && newestFirst(r, top[i - 1]) < 0) i--;
    top.splice(i, 0, r);
    if (top.length > size) top.pop();
  }
  return { rows: top, complete: seen <= size };
}

const sameHead = (a: IntentHead | undefined, b: IntentHead) => a !== undefined && a.complete === b.complete && a.rows.length === b.rows.length && a.rows.every((r, i) => r === b.rows[i]);

/**
 * The phone's post index: every row in memory (reads never wait on storage after the first), kept on
 * disk in buckets per author. The docs are the truth; this is what lets the list paint before
 * Automerge has loaded them. Writes are queued, so two replacements of one author never interleave, and
 * memory changes only after the store took the write (what is shown is what a restart shows).
 */
export function pagedIntentTable(store: IntentPageStore, rowsPerBucket = BUCKET_ROWS, headRows = HEAD_ROWS): IntentTable {
  const rows = new Map<string, IntentRow>();
  const byAuthor = new Map<string, Map<string, IntentRow>>();
  const buckets = new Map<string, number>();
  let sorted: IntentRow[] | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  /**
   * Authors whose stored buckets do not match the layout (a row in a bucket its key does not hash to, a
   * row in two buckets, a bucket count that is not the one their rows need): their next write rewrites
   * every bucket, so an edit or a deletion cannot leave an older copy behind to come back on a restart.
   * Only something that wrote the phone's storage directly (or a build that bucketed otherwise) leaves that.
   */
  const misplaced = new Set<string>();

  let loading: Promise<void> | undefined;
  let whole = false;
  /** The head as last written (by reference, so an unchanged head is not written again). */
  let head: IntentHead | undefined;
  let headRead: Promise<IntentHead | undefined> | undefined;
  // Read on first use, not when built (a wipe must be able to delete the database before anything opened it).
  // Unreadable storage leaves an empty index, rebuilt from the docs as they are read (never a dead list).
  const loaded = () => (loading ??= store.all().catch(() => [] as IntentPage[]).then((pages) => {
    const valid = pages.filter(wellFormed);
    for (const p of valid) buckets.set(p.author, Math.max(buckets.get(p.author) ?? 0, p.bucket + 1));
    for (const p of valid) {
      const count = buckets.get(p.author)!;
      let mine = byAuthor.get(p.author);
      if (!mine) byAuthor.set(p.author, (mine = new Map()));
      for (const r of p.rows) {
        const held = mine.get(r.key);
        if (held || bucketOf(r.key, count) !== p.bucket) misplaced.add(p.author);
        // Of two copies, the newer is the one the phone wrote last.
        if (held && held.updated > r.updated) continue;
        mine.set(r.key, r);
        rows.set(r.key, r);
      }
    }
    for (const [author, mine] of byAuthor) if (bucketCount(mine.size, rowsPerBucket) !== buckets.get(author)) misplaced.add(author);
    whole = true;
  }));

  const newestRows = () => (sorted ??= [...rows.values()].sort(newestFirst));

  /** Stores this author's rows as `next`; `touched`: keys added, changed or removed (their buckets are rewritten). */
  async function settle(author: string, next: Map<string, IntentRow>, touched: Iterable<string>): Promise<void> {
    const before = buckets.get(author) ?? 0;
    const after = bucketCount(next.size, rowsPerBucket);
    const dirty = new Set<number>();
    if (before !== after || misplaced.has(author)) for (let b = 0; b < after; b++) dirty.add(b);
    else for (const k of touched) dirty.add(bucketOf(k, after));
    const pages = new Map<number, IntentRow[]>([...dirty].map((b) => [b, []]));
    for (const r of next.values()) pages.get(bucketOf(r.key, after))?.push(r);
    const remove: string[] = [];
    for (let b = after; b < before; b++) remove.push(pageId(author, b));
    const nextHead = newestOf(othersThen(author, next), headRows);
    const headChanged = !sameHead(head, nextHead);
    await store.write([...pages].map(([bucket, rs]) => ({ id: pageId(author, bucket), author, bucket, rows: rs })), remove, headChanged ? nextHead : undefined);
    if (headChanged) head = nextHead;
    misplaced.delete(author);
    for (const k of byAuthor.get(author)?.keys() ?? []) if (!next.has(k)) rows.delete(k);
    for (const [k, r] of next) rows.set(k, r);
    if (next.size > 0) byAuthor.set(author, next);
    else byAuthor.delete(author);
    if (after > 0) buckets.set(author, after);
    else buckets.delete(author);
    sorted = undefined;
  }

  /** Every row once `author`'s rows are `next`. */
  function* othersThen(author: string, next: Map<string, IntentRow>): Iterable<IntentRow> {
    for (const r of rows.values()) if (r.author !== author) yield r;
    yield* next.values();
  }

  /** Runs `fn` after every earlier write, and after the first load. */
  function queued(fn: () => Promise<void>): Promise<void> {
    const run = queue.then(loaded).then(fn);
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    replaceAuthor: (author, fresh, unchanged = new Set()) =>
      queued(async () => {
        const old = byAuthor.get(author) ?? new Map<string, IntentRow>();
        const next = new Map<string, IntentRow>();
        for (const k of unchanged) {
          const r = old.get(k);
          if (r) next.set(k, r);
        }
        for (const r of fresh) next.set(r.key, plain(r));
        const touched = [...fresh.map((r) => r.key), ...[...old.keys()].filter((k) => !next.has(k))];
        await settle(author, next, touched);
      }),
    putRows: (fresh) =>
      queued(async () => {
        const perAuthor = new Map<string, IntentRow[]>();
        for (const r of fresh) {
          const mine = perAuthor.get(r.author);
          if (mine) mine.push(plain(r));
          else perAuthor.set(r.author, [plain(r)]);
        }
        for (const [author, mine] of perAuthor) {
          const next = new Map(byAuthor.get(author));
          for (const r of mine) next.set(r.key, r);
          await settle(author, next, mine.map((r) => r.key));
        }
      }),
    deleteSealed: () =>
      queued(async () => {
        for (const [author, mine] of [...byAuthor]) {
          const gone = [...mine.values()].filter((r) => r.sealed !== undefined).map((r) => r.key);
          if (gone.length === 0) continue;
          const next = new Map([...mine].filter(([, r]) => r.sealed === undefined));
          await settle(author, next, gone);
        }
      }),
    byAuthor: async (author) => (await loaded(), [...(byAuthor.get(author)?.values() ?? [])]),
    get: async (key) => (await loaded(), rows.get(key)),
    open: async () => (await loaded(), [...rows.values()].filter((r) => r.status === 'open')),
    countOpen: async (keep) => {
      await loaded();
      let n = 0;
      for (const r of rows.values()) if (r.status === 'open' && keep(r)) n++;
      return n;
    },
    newestEarly: async (keep, limit) => {
      if (whole) return undefined;
      const stored = await (headRead ??= store.head().then((h) => (wellFormedHead(h) ? h : undefined), () => undefined));
      if (!stored || whole) return undefined;
      const out: IntentRow[] = [];
      for (const r of stored.rows) {
        if (out.length >= limit) break;
        if (keep(r)) out.push(r);
      }
      return out.length >= limit || stored.complete ? out : undefined;
    },
    newest: async (keep, limit) => {
      await loaded();
      const out: IntentRow[] = [];
      for (const r of newestRows()) {
        if (out.length >= limit) break;
        if (keep(r)) out.push(r);
      }
      return out;
    },
  };
}
