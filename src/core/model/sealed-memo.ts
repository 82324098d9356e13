import { sha256 } from '@noble/hashes/sha2.js';
import { keyId } from '../audience/key.ts';
import type { Keyring, SealedRecord } from '../audience/types.ts';
import { toBase64Url, utf8 } from '../crypto/encoding.ts';

/** A sealed entry this phone opened: its digest, the record inside (signature checked then) and the key that opened it. */
export interface OpenedBefore {
  digest: string;
  epoch: number;
  /** keyId of the key that opened it. */
  kid: string;
  record: Record<string, unknown>;
}

/**
 * What names a sealed entry exactly: SHA-256 over everything outside the box and the box itself, so
 * another nonce, another epoch or audience, or one altered bit of the box is another digest. (Not the
 * nonce and tag alone: whoever holds a key can make a different box with a chosen Poly1305 tag.)
 */
export function sealedDigest(s: SealedRecord): string {
  let digest = digests.get(s);
  if (digest === undefined || digest.box !== s.box || digest.nonce !== s.nonce || digest.epoch !== s.epoch || digest.audience !== s.audience) {
    digest = { ...s, value: toBase64Url(sha256(utf8.encode(`${s.audience}\n${s.epoch}\n${s.nonce}\n${s.box}`))) };
    digests.set(s, digest);
  }
  return digest.value;
}

/** Digests by entry object: one read asks once per kind (posts, notes, decisions) and once to prime signatures. */
const digests = new WeakMap<object, SealedRecord & { value: string }>();

/** Most entries remembered; the oldest are forgotten first (then simply opened again). */
export const MEMO_MAX = 200_000;

/**
 * Sealed entries opened before, so a feed read again — after each change, and at every start from
 * what the phone's index kept — does not decrypt and signature-check them again (10,000 members-only
 * posts cost seconds of a phone's CPU at every read). An entry is recalled only while the keyring
 * still holds the very key that opened it: after losing a key (a removed member's phone, an issuer no
 * longer trusted) the entry is opened afresh, and then fails like any entry without a key. What the
 * memo returns still goes through each kind's checks (owner, id, audience).
 */
export class SealedMemo {
  private byDigest = new Map<string, OpenedBefore>();
  /** Which entry each record came from (by identity), so the index row can remember it. */
  private sources = new WeakMap<object, OpenedBefore>();
  /** Per keyring (a phone replaces its ring when keys change): its keys as `epoch/kid`, and how many keys that was. */
  private ringIds = new WeakMap<Keyring, { keys: number; ids: Set<string> }>();
  private kids = new WeakMap<Uint8Array, string>();

  /** Entries a previous start opened (from the phone's index), taken as opened. */
  load(entries: Iterable<OpenedBefore>): void {
    for (const e of entries) this.keep(e);
  }

  /** The record opened before from exactly this entry, if `keyring` still holds the key that opened it. */
  recall(s: SealedRecord, keyring: Keyring): Record<string, unknown> | undefined {
    const known = this.byDigest.get(sealedDigest(s));
    if (!known || known.epoch !== s.epoch || !this.idsOf(keyring).has(`${known.epoch}/${known.kid}`)) return undefined;
    return known.record;
  }

  /** An entry just opened with `key` (its signature and audience checked). */
  opened(s: SealedRecord, record: Record<string, unknown>, key: Uint8Array): void {
    this.keep({ digest: sealedDigest(s), epoch: s.epoch, kid: this.kidOf(key), record });
  }

  /** The entry `record` (as recalled or opened) came from. */
  sourceOf(record: object): OpenedBefore | undefined {
    return this.sources.get(record);
  }

  get size(): number {
    return this.byDigest.size;
  }

  private keep(e: OpenedBefore): void {
    if (this.byDigest.size >= MEMO_MAX && !this.byDigest.has(e.digest)) this.byDigest.delete(this.byDigest.keys().next().value!);
    this.byDigest.set(e.digest, e);
    this.sources.set(e.record, e);
  }

  private kidOf(key: Uint8Array): string {
    let kid = this.kids.get(key);
    if (kid === undefined) this.kids.set(key, (kid = keyId(key)));
    return kid;
  }

  private idsOf(keyring: Keyring): Set<string> {
    // Read-only keys (Keyring.readOnly) open entries too, so they are keys the ring holds.
    const maps = keyring.readOnly ? [keyring, keyring.readOnly] : [keyring];
    const keys = maps.reduce((n, m) => n + [...m.values()].reduce((k, ks) => k + ks.length, 0), 0);
    let known = this.ringIds.get(keyring);
    if (!known || known.keys !== keys) {
      known = { keys, ids: new Set(maps.flatMap((m) => [...m].flatMap(([epoch, ks]) => ks.map((k) => `${epoch}/${this.kidOf(k)}`)))) };
      this.ringIds.set(keyring, known);
    }
    return known.ids;
  }
}
