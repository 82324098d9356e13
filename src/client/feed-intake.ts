import { primeSignatures, unchecked, type AsyncSignatureCheck } from '../core/crypto/sign.ts';
import { readFeed } from '../core/model/feed.ts';
import { everRecords, FEED_MAPS, restoreFeed, type RecordHistory } from '../core/model/restore.ts';
import type { FeedDoc, Intent } from '../core/model/types.ts';

/** Records checked per WebCrypto batch: the progress line moves between batches and memory stays bounded. */
export const CHECK_BATCH = 500;
/** The newest posts are checked and listed first, so a newcomer sees a screenful before the rest are checked. */
export const FIRST_SCREEN = 50;
/** A feed with fewer unchecked records than this is read in one go, without a progress line or early screenful. */
export const BULK_FROM = 200;

export interface IntakeProgress {
  done: number;
  total: number;
}

export interface IntakeSink {
  check: AsyncSignatureCheck;
  progress(p: IntakeProgress | null): void;
  /** The newest posts, already proven: listed before the rest of the feed is read. */
  firstScreen(intents: Intent[]): Promise<void>;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const updatedOf = (r: unknown): number => (isRec(r) && typeof r.updated === 'number' ? r.updated : 0);

/**
 * Taking in a big feed (a newcomer joining a community with history): every signature in it — the
 * records in the doc now and every version its history remembers — is checked in WebCrypto batches
 * BEFORE the feed is restored and read, so the synchronous checks of the domain code (tweetnacl, ~15 ms
 * a record on a phone) all hit the cache. Profiling a 2,000-offer join showed 110 s of 134 s of busy
 * time in those synchronous checks, because restoreFeed ran before the batch check did.
 *
 * The newest FIRST_SCREEN posts go first and are listed as soon as they are proven; progress is
 * reported after every batch. Records that fail stay unchecked and are refused by the reader later.
 */
export async function checkFeedInBulk(raw: FeedDoc, history: RecordHistory, owner: string, sink: IntakeSink): Promise<void> {
  const ever = everRecords(raw.intents, history, ['intents']);
  const posts = unchecked(ever).sort((a, b) => updatedOf(b) - updatedOf(a));
  const others = unchecked(FEED_MAPS.filter((m) => m !== 'intents').flatMap((m) => everRecords(raw[m], history, [m])));
  if (posts.length + others.length < BULK_FROM) {
    await primeSignatures([...posts, ...others], sink.check);
    return;
  }
  // Posts already proven (the hub's preview of this feed) count as loaded: the line says the feed's size.
  const total = ever.length;
  let done = total - posts.length;
  sink.progress({ done, total });
  try {
    const first = posts.slice(0, FIRST_SCREEN);
    await primeSignatures(first, sink.check);
    done += first.length;
    sink.progress({ done, total });
    await sink.firstScreen(firstScreen(raw, history, owner, first));
    for (let at = first.length; at < posts.length; at += CHECK_BATCH) {
      const batch = posts.slice(at, at + CHECK_BATCH);
      await primeSignatures(batch, sink.check);
      done += batch.length;
      sink.progress({ done, total });
    }
    for (let at = 0; at < others.length; at += CHECK_BATCH) await primeSignatures(others.slice(at, at + CHECK_BATCH), sink.check);
  } finally {
    sink.progress(null);
  }
}

/**
 * The posts among `first` as the full read will show them: each key's newest valid version, from the
 * doc and the history, read exactly as readFeed reads it. A post also held sealed waits for the full
 * read (its sealed version may be the newer one).
 */
function firstScreen(raw: FeedDoc, history: RecordHistory, owner: string, first: unknown[]): Intent[] {
  const sealed = isRec(raw.sealed) ? raw.sealed : {};
  const keys = new Set(first.flatMap((r) => (isRec(r) && typeof r.id === 'string' && !(r.id in sealed) ? [r.id] : [])));
  const only = (path: readonly string[], key: string) => path.length === 1 && path[0] === 'intents' && keys.has(key);
  const narrowed: RecordHistory = {
    keys: (path) => history.keys(path).filter((k) => only(path, k)),
    versions: (path, key) => (only(path, key) ? history.versions(path, key) : []),
  };
  const intents: Rec = {};
  for (const k of keys) if (isRec(raw.intents) && raw.intents[k] !== undefined) intents[k] = raw.intents[k];
  const empty = Object.fromEntries(FEED_MAPS.map((m) => [m, {}]));
  const doc = restoreFeed({ ...raw, ...empty, sealed: {}, intents } as FeedDoc, narrowed, owner);
  return readFeed(doc).intents;
}
