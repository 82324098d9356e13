import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CaError, type PemPair } from './community-ca.ts';

/** Where `ca init` keeps the CA in a relay's data directory: the key never leaves this folder. */
export function caFiles(dataDir: string): { dir: string; cert: string; key: string } {
  const dir = path.join(dataDir, 'ca');
  return { dir, cert: path.join(dir, 'ca.pem'), key: path.join(dir, 'ca-key.pem') };
}

/** A relay's HTTPS files: the chain (relay certificate, then the CA) for --tls-cert and the key for --tls-key. */
export function relayFiles(dir: string): { dir: string; cert: string; key: string } {
  return { dir, cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
}

export interface NewFile {
  path: string;
  content: string;
  /** 0o600 for private keys: only the relay's user reads them. */
  mode: number;
}

/**
 * Writes every file or none, and never over an existing one: a CA or key made earlier is what phones
 * and other relays already trust, and losing it means every phone installs again.
 */
export async function writeNewFiles(files: NewFile[]): Promise<void> {
  const taken = files.filter((f) => existsSync(f.path));
  if (taken.length > 0) throw new CaError(`${taken.map((f) => f.path).join(', ')} already exist${taken.length === 1 ? 's' : ''}: nothing was written (move ${taken.length === 1 ? 'it' : 'them'} away first if you mean to replace ${taken.length === 1 ? 'it' : 'them'})`);
  const written: string[] = [];
  try {
    for (const f of files) {
      await mkdir(path.dirname(f.path), { recursive: true, mode: 0o700 });
      // 'wx' fails if the file appeared since the check above; the mode is set again past the umask.
      await writeFile(f.path, f.content, { flag: 'wx', mode: f.mode });
      written.push(f.path);
      await chmod(f.path, f.mode);
    }
  } catch (err) {
    for (const p of written) await rm(p, { force: true });
    throw err instanceof CaError ? err : new CaError(`could not write ${files.map((f) => f.path).join(', ')}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** The CA that `ca init` made in this data directory, or a clear error naming what is missing. */
export async function readCa(dataDir: string): Promise<PemPair> {
  const files = caFiles(dataDir);
  const read = (p: string, what: string) =>
    readFile(p, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new CaError(err.code === 'ENOENT' ? `no community CA ${what} at ${p}: run "ca init" on the node that keeps the CA, or pass its --data-dir` : `cannot read ${p}: ${err.code ?? String(err)}`);
    });
  return { certPem: await read(files.cert, 'certificate'), keyPem: await read(files.key, 'key') };
}
