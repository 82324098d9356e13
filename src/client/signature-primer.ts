import { primeSignatures, type AsyncSignatureCheck } from '../core/crypto/sign.ts';
import type { Keyring } from '../core/audience/types.ts';
import type { RecordHistory } from '../core/model/restore.ts';
import { unopenedRecords } from '../core/model/sealed-entries.ts';
import type { SealedMemo } from '../core/model/sealed-memo.ts';
import type { FeedDoc } from '../core/model/types.ts';
import { CHECK_BATCH, checkFeedInBulk, type IntakeSink } from './feed-intake.ts';

/**
 * Checks signatures with the platform's native ed25519 (WebCrypto) before the domain code reads the
 * records: that code verifies synchronously with tweetnacl, ~15 ms a record on a phone, and then hits
 * the cache these checks fill. Without a native check every step is skipped (no gain).
 */
export class SignaturePrimer {
  private native?: Promise<AsyncSignatureCheck | undefined>;

  constructor(private readonly load: () => Promise<AsyncSignatureCheck | undefined>) {}

  private check(): Promise<AsyncSignatureCheck | undefined> {
    return (this.native ??= this.load());
  }

  /** Any records, at once (a community doc's members, a small feed's records). */
  async records(records: Iterable<unknown>): Promise<void> {
    const check = await this.check();
    if (check) await primeSignatures(records, check);
  }

  /**
   * Every signature of a feed in batches before it is restored and read; a big feed lists its newest
   * posts first and reports progress (feed-intake.ts).
   */
  async feed(owner: string, raw: FeedDoc, history: RecordHistory, sink: Omit<IntakeSink, 'check'>): Promise<void> {
    const check = await this.check();
    if (check) await checkFeedInBulk(raw, history, owner, { ...sink, check });
  }

  /**
   * The signatures inside sealed entries not opened before: a new members' key or a newcomer's first
   * read opens thousands at once.
   */
  async sealed(doc: FeedDoc, keys: Keyring, versions: (key: string) => readonly unknown[], memo: SealedMemo): Promise<void> {
    const check = await this.check();
    if (!check) return;
    const inner = unopenedRecords(doc, keys, versions, memo);
    for (let at = 0; at < inner.length; at += CHECK_BATCH) await primeSignatures(inner.slice(at, at + CHECK_BATCH), check);
  }
}
