import { open, isSealedShape } from '../audience/seal.ts';
import type { Keyring, SealedRecord } from '../audience/types.ts';
import { verifyRecord } from '../crypto/sign.ts';
import type { Rejected } from './feed.ts';
import type { SealedMemo } from './sealed-memo.ts';
import type { FeedDoc, SealedFeedRecord } from './types.ts';
import { plainScalars } from './scalar-strings.ts';

/**
 * One kind of record a feed keeps in its sealed map. Posts, agreements about them (sealed-agreement.ts),
 * vouch notes and decisions share that one map
 * (issue #17): a relay or a keyless reader cannot tell which kind an entry is, and the steps that keep
 * entries whole — re-sealing after a rotation (MembersKey.resealMine), restoring deleted entries from
 * history (restoreFeed) — serve every kind at once. Each kind's reader opens the map and keeps its own.
 */
export interface SealedKind<T> {
  /** Whether an opened record belongs to this kind (records of other kinds are left to their readers). */
  is(record: Record<string, unknown>): boolean;
  /**
   * Why an opened, signature-checked record of this kind is refused under `key` of `owner`'s feed
   * (an i18n key), or null when it is the owner's valid record.
   */
  check(record: unknown, owner: string, key: string, sealed: SealedRecord): string | null;
  /** Which of two valid versions under one key is the owner's latest (every reader picks the same). */
  newer(a: T, b: T): boolean;
}

/**
 * `newer` for records written once under their own id with a creation time: the later one, then the
 * larger signature, so every reader picks the same of two versions.
 */
export function newerByCreation<T extends { created: number; sig: string }>(a: T, b: T): boolean {
  return a.created > b.created || (a.created === b.created && a.sig > b.sig);
}

export interface OpenedEntries<T> {
  records: T[];
  /** Entries this reader holds no key for (of any kind: nobody without the key can tell). */
  unreadable: number;
  /** Entries of this kind (or not sealed records at all) that opened but are not the owner's valid record. */
  rejected: Rejected[];
}

type Tried<T> = { record?: T; unreadable?: boolean; rejected?: Rejected; other?: boolean };

/**
 * The records of `kind` in `feed`'s sealed map this reader can open with `keyring`. Every version the
 * history remembers under a key is tried (someone who syncs the feed may have put junk or an older box
 * over the owner's latest); the owner's newest valid one wins. Total: never throws on what a feed holds.
 */
export function openSealedEntries<T>(
  feed: Pick<FeedDoc, 'owner' | 'sealed'>,
  keyring: Keyring,
  kind: SealedKind<T>,
  verify: (r: unknown) => boolean = verifyRecord,
  versions: (key: string) => readonly unknown[] = () => [],
  /** Entries opened before: recalled instead of decrypted and checked again; what opens now is added. */
  memo?: SealedMemo,
): OpenedEntries<T> {
  const out: OpenedEntries<T> = { records: [], unreadable: 0, rejected: [] };
  const owner = feed.owner;
  const sealed = feed.sealed && typeof feed.sealed === 'object' ? feed.sealed : {};
  for (const [key, s] of Object.entries(sealed)) {
    const tried = openOne(owner, key, s, keyring, kind, verify, memo);
    let best = tried.record;
    let other = !!tried.other;
    for (const v of versions(key)) {
      if (v === s) continue;
      const t = openOne(owner, key, v, keyring, kind, verify, memo);
      other ||= !!t.other;
      if (t.record !== undefined && (best === undefined || kind.newer(t.record, best))) best = t.record;
    }
    if (best !== undefined) out.records.push(best);
    else if (other) continue;
    else if (tried.unreadable) out.unreadable++;
    else if (tried.rejected) out.rejected.push(tried.rejected);
  }
  return out;
}

function openOne<T>(owner: string, key: string, raw: unknown, keyring: Keyring, kind: SealedKind<T>, verify: (r: unknown) => boolean, memo?: SealedMemo): Tried<T> {
  const s = plainScalars(raw);
  if (!isSealedShape(s) || (s as Partial<SealedFeedRecord>).id !== key) return { rejected: { feedOwner: owner, id: key, reason: 'error.malformedSealed' } };
  let record = memo?.recall(s, keyring);
  if (!record) {
    const opened = open<Record<string, unknown>>(s, keyring, verify);
    if (!opened.ok) {
      if (opened.reason === 'no-key' || opened.reason === 'cannot-decrypt') return { unreadable: true };
      return { rejected: { feedOwner: owner, id: key, reason: `error.sealed.${opened.reason}` } };
    }
    record = opened.record;
    memo?.opened(s, record, opened.key);
  }
  if (!kind.is(record)) return { other: true };
  const problem = kind.check(record, owner, key, s);
  return problem ? { rejected: { feedOwner: owner, id: key, reason: problem } } : { record: record as T };
}

/**
 * The records inside `feed`'s sealed entries (every version the history remembers) that `memo` does
 * not hold, decrypted but NOT checked: for a platform's batch signature check (WebCrypto) before
 * openSealedEntries checks them one by one, which then finds them known good. Never throws.
 */
export function unopenedRecords(
  feed: Pick<FeedDoc, 'sealed'>,
  keyring: Keyring,
  versions: (key: string) => readonly unknown[] = () => [],
  memo?: SealedMemo,
): unknown[] {
  const out: unknown[] = [];
  const sealed = feed.sealed && typeof feed.sealed === 'object' ? feed.sealed : {};
  for (const [key, s] of Object.entries(sealed)) {
    for (const raw of [s, ...versions(key).filter((x) => x !== s)]) {
      const v = plainScalars(raw);
      if (!isSealedShape(v) || memo?.recall(v, keyring)) continue;
      const o = open(v, keyring, () => true);
      if (o.ok) out.push(o.record);
    }
  }
  return out;
}
