import { fromBase64Url, toBase64Url } from '../core/crypto/encoding.ts';
import {
  noLock,
  openDeviceLock,
  openJson,
  parseLockRecord,
  PHONE_SCRYPT,
  sealJson,
  setupLock,
  unlock as unlockRecord,
  changePin,
  decoyKeyOf,
  decoyNoise,
  openDecoyProfile,
  sealDecoyProfile,
  type DecoyProfile,
  type LockRecord,
} from '../core/vault/index.ts';
import type { LocalStore } from './local-store.ts';

/** Settings that stay readable without the key: the lock itself and what decides when to wipe. */
const LOCK = 'lock';
const DEVICE_KEY = 'deviceKey';
const SECRET = 'secret:';
/** Sealed under the decoy key, or noise of the same size (see core/vault/decoy.ts). */
const DECOY = 'decoyProfile';

export type LockKind = 'none' | 'pin' | 'device';
export type UnlockOutcome = 'real' | 'duress' | 'wrong';

/**
 * The phone's data key (DEK) and everything sealed under it. Every secret setting (identity, names,
 * the trust graph, messages) is stored as secretbox ciphertext; so are the automerge docs (through
 * EncryptedStorageAdapter) and the index rows of non-public posts. The DEK lives only in memory; with
 * a PIN it is unwrapped by scrypt(PIN), without one by a device key kept beside it (weak, but the same
 * code path, and a wipe that destroys keys first still leaves only noise).
 */
export class PhoneVault {
  dek?: Uint8Array;
  /** After a duress unlock: the key the decoy's profile is sealed under. */
  decoyKey?: Uint8Array;

  constructor(private readonly db: LocalStore) {}

  async kind(): Promise<LockKind> {
    const raw = await this.db.settings.get<unknown>(LOCK);
    if (raw === undefined) return 'none';
    return parseLockRecord(raw).kind;
  }

  /** First run: a PIN (and optional duress PIN) when given, otherwise a device key. */
  async create(pin: string | null, duressPin: string | null): Promise<void> {
    if (pin) {
      const { record, dek } = await setupLock(pin, duressPin || null, PHONE_SCRYPT);
      await this.db.settings.set(LOCK, record);
      // A first-run duress PIN has no profile yet to show; the same noise either way.
      await this.db.settings.set(DECOY, decoyNoise());
      this.dek = dek;
    } else {
      const { record, deviceKey, dek } = noLock();
      await this.db.settings.set(DEVICE_KEY, toBase64Url(deviceKey));
      await this.db.settings.set(LOCK, record);
      this.dek = dek;
    }
  }

  async openDevice(): Promise<void> {
    const record = parseLockRecord(await this.db.settings.get<unknown>(LOCK));
    const key = await this.db.settings.get<string>(DEVICE_KEY);
    if (record.kind !== 'device' || !key) throw new Error('not a device lock');
    this.dek = openDeviceLock(record, fromBase64Url(key));
  }

  /**
   * A duress PIN overwrites the lock record with its shredded form before anything else happens, so
   * the real data is undecryptable from that instant; deleting it follows.
   */
  async unlock(pin: string): Promise<UnlockOutcome> {
    const record = parseLockRecord(await this.db.settings.get<unknown>(LOCK));
    if (record.kind !== 'pin') throw new Error('not a PIN lock');
    const result = await unlockRecord(record, pin);
    if (result.kind === 'real') this.dek = result.dek;
    if (result.kind === 'duress') {
      await this.db.settings.set(LOCK, result.shredded);
      this.decoyKey = result.decoyDek;
    }
    return result.kind;
  }

  /**
   * Sets or changes the PIN: re-wraps the same DEK, so no data is re-encrypted. With a duress PIN, the
   * decoy's profile (what it shows in place of this person) is sealed under the key that PIN opens;
   * without one, noise of the same size is stored instead.
   */
  async setPin(pin: string, duressPin: string | null, decoy: DecoyProfile): Promise<void> {
    if (!this.dek) throw new Error('locked');
    const record = await changePin(this.dek, pin, duressPin || null, PHONE_SCRYPT);
    const profile = duressPin ? sealDecoyProfile(await decoyKeyOf(record, duressPin), decoy) : decoyNoise();
    await this.db.settings.set(LOCK, record);
    await this.db.settings.set(DECOY, profile);
    await this.db.settings.delete([DEVICE_KEY]);
  }

  /** After a duress unlock: the decoy's profile (null if none could be opened). */
  async decoyProfile(): Promise<DecoyProfile | null> {
    return this.decoyKey ? openDecoyProfile(this.decoyKey, await this.db.settings.get<unknown>(DECOY)) : null;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const sealed = await this.db.settings.get<Uint8Array>(SECRET + key);
    if (sealed === undefined || !this.dek) return undefined;
    return openJson(this.dek, sealed) as T;
  }

  async put(key: string, value: unknown): Promise<void> {
    if (!this.dek) throw new Error('locked');
    await this.db.settings.set(SECRET + key, sealJson(this.dek, value));
  }

  /** Several secrets in one write: all are stored or none. Undefined values are left out. */
  async putAll(values: Record<string, unknown>): Promise<void> {
    const dek = this.dek;
    if (!dek) throw new Error('locked');
    await this.db.settings.setMany(Object.entries(values).flatMap(([key, value]) => (value === undefined ? [] : [[SECRET + key, sealJson(dek, value)] as const])));
  }

  seal(value: unknown): Uint8Array {
    if (!this.dek) throw new Error('locked');
    return sealJson(this.dek, value);
  }

  open<T>(sealed: Uint8Array): T {
    if (!this.dek) throw new Error('locked');
    return openJson(this.dek, sealed) as T;
  }

  /** Keys first: without the lock record and device key, every sealed byte on the phone is noise. */
  async destroyKeys(): Promise<void> {
    await this.db.settings.delete([LOCK, DEVICE_KEY, DECOY, `${SECRET}identity`]);
    this.dek = undefined;
    this.decoyKey = undefined;
  }

  /** After a duress unlock: the real secrets go; public posts stay, for the decoy. */
  async shredSecrets(): Promise<void> {
    const keys = (await this.db.settings.keys()).filter((k) => k.startsWith(SECRET));
    await this.db.settings.delete([`${SECRET}identity`, ...keys]);
    await this.db.intents.deleteSealed();
    this.dek = undefined;
  }

  static isLockRecord(v: unknown): v is LockRecord {
    try {
      parseLockRecord(v);
      return true;
    } catch {
      return false;
    }
  }
}

/** Where a client module keeps its own state on the phone: sealed under the data key by the vault. */
export interface SecretStore {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
}
