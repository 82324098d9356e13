import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { fromBase64Url, toBase64Url } from '../src/core/crypto/encoding.ts';
import { checkParams, openJson, sealJson, setupLock, subkey, unlock, type PinLockRecord, type ScryptParams } from '../src/core/vault/index.ts';
import { RELAY_KEY_FILE } from './relay-key.ts';
import { readJson, writeJsonAtomic } from './state-file.ts';

/**
 * A relay whose data dir tells a thief nothing it serves (`--passphrase-file`). The documents
 * (automerge-repo's chunks, through the phones' own EncryptedStorageAdapter), the relay's key, the
 * list of communities it serves and who carried which bundles are sealed under a data key; that key is kept in `sealed-data.json`
 * wrapped under the passphrase (the phone's PIN lock record: scrypt, then secretbox). Bundles were
 * already sealed to the relay's key, which is now sealed too. A relay pulled from its socket, or
 * seized switched off, then holds nothing readable; while it runs, the key is in its memory.
 *
 * The price: it cannot start again by itself after a power cut. Someone has to give the passphrase
 * (a file on a USB stick, or `--passphrase-file /dev/stdin`). So it is a choice, not the default.
 */
export const SEALED_DATA_FILE = 'sealed-data.json';

/**
 * 128 MiB and about a second on this machine: paid once per start, so a relay can afford far more than
 * a phone (PHONE_SCRYPT is 32 MiB); the vault's bounds stop at 256 MiB.
 */
export const RELAY_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

/** Shorter passphrases fall to guessing at that cost; a relay's operator can type 12 characters once per start. */
export const MIN_PASSPHRASE_CHARS = 12;

/** A data dir that cannot be opened as configured: the relay says why and does not start. */
export class SealedDataError extends Error {}

/** What is in the data dir that only a relay started without a passphrase writes. */
function clearDataIn(dataDir: string): string | undefined {
  if (existsSync(path.join(dataDir, RELAY_KEY_FILE))) return RELAY_KEY_FILE;
  const repo = path.join(dataDir, 'repo');
  if (existsSync(repo) && readdirSync(repo).length > 0) return 'repo/';
  return undefined;
}

/** The passphrase in `file`, without the line end an editor or `echo` adds. */
export function readPassphrase(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SealedDataError(`--passphrase-file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase.normalize('NFKC').length < MIN_PASSPHRASE_CHARS) throw new SealedDataError(`the passphrase in ${file} is shorter than ${MIN_PASSPHRASE_CHARS} characters`);
  return passphrase;
}

/**
 * The data key of `dataDir`: made and locked under `passphrase` on the first sealed start, unlocked on
 * later ones; undefined for a relay that keeps its data in the clear. A data dir written in the clear is
 * not sealed in place (its plaintext would stay in the file system's free blocks): start a new one.
 */
export async function openDataKey(dataDir: string, passphrase: string | undefined, params: ScryptParams = RELAY_SCRYPT): Promise<Uint8Array | undefined> {
  const file = path.join(dataDir, SEALED_DATA_FILE);
  const record = await readJson<PinLockRecord>(file);
  if (passphrase === undefined) {
    if (record !== undefined) throw new SealedDataError(`${dataDir} is sealed: start the relay with --passphrase-file`);
    return undefined;
  }
  if (record === undefined) {
    const clear = clearDataIn(dataDir);
    if (clear) throw new SealedDataError(`${dataDir} was written without a passphrase (${clear}): a sealed relay starts on a new --data-dir`);
    const { record: made, dek } = await setupLock(passphrase, null, checkParams(params));
    await writeJsonAtomic(file, made);
    await chmod(file, 0o600);
    return dek;
  }
  const opened = await unlock(record, passphrase).catch((err: unknown) => {
    throw new SealedDataError(`${file} cannot be read: ${(err as Error).message}`);
  });
  if (opened.kind !== 'real') throw new SealedDataError(`wrong passphrase for ${dataDir}`);
  return opened.dek;
}

/** A small JSON state sealed under a subkey of the data key for `label` (one label per file). */
export interface SealedJson {
  sealed: string;
}

export function sealState(dataKey: Uint8Array, label: string, value: unknown): SealedJson {
  return { sealed: toBase64Url(sealJson(subkey(dataKey, `spm/relay/${label}/v1`), value)) };
}

/** The value sealState sealed; throws SealedDataError for a file in the clear, sealed under another key, or altered. */
export function openState<T>(dataKey: Uint8Array, label: string, stored: unknown): T {
  const sealed = (stored as Partial<SealedJson> | null)?.sealed;
  if (typeof sealed !== 'string') throw new SealedDataError(`a ${label} file in the clear in a sealed data dir`);
  try {
    return openJson(subkey(dataKey, `spm/relay/${label}/v1`), fromBase64Url(sealed)) as T;
  } catch (err) {
    throw new SealedDataError(`the ${label} file does not open with this data dir's key: ${(err as Error).message}`);
  }
}

/**
 * The relay's small JSON state files (relay.json, relay-key.json, carried.json), sealed under the data
 * key in a sealed data dir, one label per file, and plain otherwise: the callers read and write alike.
 */
export class StateFiles {
  constructor(private readonly dataKey?: Uint8Array) {}

  /** The file's value, or undefined when there is none; SealedDataError when a sealed one does not open. */
  async read<T>(file: string, label: string, log?: Parameters<typeof readJson>[1]): Promise<T | undefined> {
    const stored = await readJson<unknown>(file, log);
    if (stored === undefined || !this.dataKey) return stored as T | undefined;
    return openState<T>(this.dataKey, label, stored);
  }

  write(file: string, label: string, value: unknown): Promise<void> {
    return writeJsonAtomic(file, this.dataKey ? sealState(this.dataKey, label, value) : value);
  }
}
