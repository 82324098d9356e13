import type { Chunk, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64Url, utf8 } from '../crypto/encoding.ts';
import { randomBytes } from '../crypto/keys.ts';
import { concatBytes } from '../crypto/bytes.ts';
import { VaultError, type Random } from './errors.ts';
import { KEY_BYTES, subkey } from './kdf.ts';
import { openBytes, sealBytes } from './secretbox.ts';

/**
 * Stored in the clear (it must be found before the key is known) so that a wrong key is reported as
 * such instead of looking like an empty store. Its component cannot equal a hashed one (22 chars).
 */
export const CHECK_KEY: StorageKey = ['spm-vault-check'];

/**
 * Told of a stored value that no longer opens — a bad sector, a half-written file, bytes changed or moved
 * by someone without the key — by the key it is stored under (hashed): it is read as absent, and whoever
 * keeps the store may set it aside. The data key itself was checked at open, so it is not the cause.
 */
export type UnreadableChunk = (storedKey: StorageKey, err: VaultError) => void;

const warnUnreadable: UnreadableChunk = (storedKey, err) => console.warn(`a stored chunk no longer opens (${err.code}) and was left out`, storedKey.join('/'));

const HASH_BYTES = 16;
const MAX_KEY_JSON = 4096;
const HASH_CACHE_LIMIT = 10_000;

/**
 * Encryption at rest for automerge-repo: wraps any storage adapter. Each value becomes
 * secretbox(original key ‖ value) under a subkey of the DEK; each key component becomes
 * base64url(HMAC-SHA256(subkey, component))[:16 bytes], component by component, so that prefix ranges
 * still select the same entries. loadRange returns the original keys (automerge-repo reads them).
 *
 * What the inner store still shows: how many docs and chunks there are, their sizes and when they
 * change. It does not show doc ids, chunk hashes or contents.
 */
export class EncryptedStorageAdapter implements StorageAdapterInterface {
  readonly #inner: StorageAdapterInterface;
  readonly #valueKey: Uint8Array;
  readonly #nameKey: Uint8Array;
  readonly #random: Random;
  readonly #unreadable: UnreadableChunk;
  readonly #hashes = new Map<string, string>();

  constructor(inner: StorageAdapterInterface, dek: Uint8Array, random: Random = randomBytes, unreadable: UnreadableChunk = warnUnreadable) {
    if (!(dek instanceof Uint8Array) || dek.length !== KEY_BYTES) throw new VaultError('wrong-key', 'a data key is 32 bytes');
    this.#inner = inner;
    this.#valueKey = subkey(dek, 'spm/storage/value/v1');
    this.#nameKey = subkey(dek, 'spm/storage/name/v1');
    this.#random = random;
    this.#unreadable = unreadable;
  }

  /** The adapter, after checking that `dek` is the key this store was written with (or marking a new store). */
  static async open(inner: StorageAdapterInterface, dek: Uint8Array, random: Random = randomBytes, unreadable?: UnreadableChunk): Promise<EncryptedStorageAdapter> {
    const adapter = new EncryptedStorageAdapter(inner, dek, random, unreadable);
    await adapter.verifyKey();
    return adapter;
  }

  /** Throws VaultError('wrong-key') when the store was written under another DEK. */
  async verifyKey(): Promise<void> {
    const stored = await this.#inner.load(CHECK_KEY);
    if (stored === undefined) {
      await this.#inner.save(CHECK_KEY, this.#seal(CHECK_KEY, new Uint8Array(0)));
      return;
    }
    try {
      this.#open(stored, CHECK_KEY);
    } catch {
      throw new VaultError('wrong-key', 'this storage was encrypted with another key');
    }
  }

  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    const stored = this.#hashKey(key);
    const sealed = await this.#inner.load(stored);
    return sealed === undefined ? undefined : this.#openOrReport(sealed, stored, key)?.data;
  }

  async save(key: StorageKey, data: Uint8Array): Promise<void> {
    await this.#inner.save(this.#hashKey(key), this.#seal(key, data));
  }

  async remove(key: StorageKey): Promise<void> {
    await this.#inner.remove(this.#hashKey(key));
  }

  async loadRange(keyPrefix: StorageKey): Promise<Chunk[]> {
    const chunks = await this.#inner.loadRange(this.#hashKey(keyPrefix));
    const out: Chunk[] = [];
    for (const chunk of chunks) {
      if (chunk.data === undefined || sameKey(chunk.key, CHECK_KEY)) continue;
      const opened = this.#openOrReport(chunk.data, chunk.key, keyPrefix, true);
      if (opened) out.push(opened);
    }
    return out;
  }

  /**
   * A stored value opened, or reported and taken as absent. Thrown, it stopped more than itself:
   * automerge-repo loads a document from all its chunks at once (one bad chunk kept the whole document
   * from loading, for good), and a repo whose storage id did not open never joined its network (a relay
   * then answered no phone). Absent, a document loads from the rest and sync brings back what it lost;
   * a storage id or sync state is made afresh.
   */
  #openOrReport(sealed: Uint8Array, storedKey: StorageKey, expected: StorageKey, isPrefix = false): (Chunk & { data: Uint8Array }) | undefined {
    try {
      return this.#open(sealed, expected, isPrefix);
    } catch (err) {
      if (!(err instanceof VaultError)) throw err;
      this.#unreadable(storedKey, err);
      return undefined;
    }
  }

  async removeRange(keyPrefix: StorageKey): Promise<void> {
    await this.#inner.removeRange(this.#hashKey(keyPrefix));
  }

  #hashKey(key: StorageKey): StorageKey {
    return key.map((c) => this.#hashComponent(c));
  }

  #hashComponent(component: string): string {
    let h = this.#hashes.get(component);
    if (h === undefined) {
      h = toBase64Url(hmac(sha256, this.#nameKey, utf8.encode(component)).subarray(0, HASH_BYTES));
      if (this.#hashes.size >= HASH_CACHE_LIMIT) this.#hashes.clear();
      this.#hashes.set(component, h);
    }
    return h;
  }

  #seal(key: StorageKey, data: Uint8Array): Uint8Array {
    const keyBytes = utf8.encode(JSON.stringify(key));
    if (keyBytes.length > MAX_KEY_JSON) throw new VaultError('too-large', 'storage key too long');
    const head = new Uint8Array(4);
    new DataView(head.buffer).setUint32(0, keyBytes.length);
    return sealBytes(this.#valueKey, concatBytes(head, keyBytes, data), this.#random);
  }

  /**
   * Opens a stored value and checks that it was stored under `expected` (or, for a range, under a key
   * starting with it): a file moved from one key to another is 'tampered', not silently accepted.
   */
  #open(sealed: Uint8Array, expected: StorageKey, isPrefix = false): Chunk & { data: Uint8Array } {
    const plain = openBytes(this.#valueKey, sealed);
    if (plain.length < 4) throw new VaultError('malformed', 'stored value too short');
    const len = new DataView(plain.buffer, plain.byteOffset).getUint32(0);
    if (len > MAX_KEY_JSON || 4 + len > plain.length) throw new VaultError('malformed', 'stored key length out of range');
    const key = parseKey(plain.subarray(4, 4 + len));
    const matches = isPrefix ? expected.every((c, i) => key[i] === c) : sameKey(key, expected);
    if (!matches) throw new VaultError('tampered', 'stored value belongs to another key');
    return { key, data: plain.slice(4 + len) };
  }
}

function sameKey(a: StorageKey, b: StorageKey): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

function parseKey(bytes: Uint8Array): StorageKey {
  let key: unknown;
  try {
    key = JSON.parse(utf8.decode(bytes));
  } catch {
    throw new VaultError('malformed', 'stored key is not JSON');
  }
  if (!Array.isArray(key) || !key.every((c) => typeof c === 'string')) throw new VaultError('malformed', 'stored key is not a list of strings');
  return key;
}
