import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { isChunkHash } from '../src/core/library/index.ts';

/** Writes `bytes` to `file` so a crash leaves the old file or the whole new one (see writeJsonAtomic). */
async function writeAtomic(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/**
 * Chunks on disk named by their SHA-256 (`chunks/<2 chars>/<hash>`): the same bytes shared by two
 * members, or arriving from two islands, are one file. Manifests sit beside them as JSON by id.
 */
export class ChunkFiles {
  private readonly held = new Map<string, number>();
  private total = 0;

  constructor(readonly dir: string) {}

  get bytes(): number {
    return this.total;
  }

  get count(): number {
    return this.held.size;
  }

  private chunkPath(hash: string): string {
    return path.join(this.dir, 'chunks', hash.slice(0, 2), hash);
  }

  private manifestPath(id: string, carried: boolean): string {
    return path.join(this.dir, carried ? 'carried' : 'manifests', `${id}.json`);
  }

  /**
   * Learns what is on disk: manifests shared on this island (`manifests/`) and carried from others
   * (`carried/`). Anything else there — a temp file a crash left (`<name>.<hex>`, write-file-atomic's) —
   * is removed.
   */
  async open(): Promise<Array<{ json: Uint8Array; carried: boolean }>> {
    const root = path.join(this.dir, 'chunks');
    for (const sub of await listDir(root)) {
      for (const name of await listDir(path.join(root, sub))) {
        const file = path.join(root, sub, name);
        const named: boolean = isChunkHash(name);
        if (!named) {
          await rm(file, { force: true }).catch(() => undefined); // a directory stays
          continue;
        }
        const size = (await stat(file)).size;
        this.held.set(name, size);
        this.total += size;
      }
    }
    const out: Array<{ json: Uint8Array; carried: boolean }> = [];
    for (const carried of [false, true]) {
      const mdir = path.join(this.dir, carried ? 'carried' : 'manifests');
      for (const name of await listDir(mdir)) {
        if (name.endsWith('.json')) out.push({ json: new Uint8Array(await readFile(path.join(mdir, name))), carried });
        else await rm(path.join(mdir, name), { force: true }).catch(() => undefined); // a directory stays
      }
    }
    return out;
  }

  has(hash: string): boolean {
    return this.held.has(hash);
  }

  /** The caller has checked the hash. Returns false when it was already here. */
  async put(hash: string, bytes: Uint8Array): Promise<boolean> {
    if (this.held.has(hash)) return false;
    this.held.set(hash, bytes.length); // claim first: two uploads of one chunk write it once
    this.total += bytes.length;
    try {
      await writeAtomic(this.chunkPath(hash), bytes);
    } catch (err) {
      this.held.delete(hash);
      this.total -= bytes.length;
      throw err;
    }
    return true;
  }

  async get(hash: string): Promise<Uint8Array | undefined> {
    if (!this.held.has(hash)) return undefined;
    return new Uint8Array(await readFile(this.chunkPath(hash)));
  }

  async drop(hash: string): Promise<void> {
    const size = this.held.get(hash);
    if (size === undefined) return;
    this.held.delete(hash);
    this.total -= size;
    await rm(this.chunkPath(hash), { force: true });
  }

  saveManifest(id: string, json: Uint8Array, carried: boolean): Promise<void> {
    return writeAtomic(this.manifestPath(id, carried), json);
  }

  async dropManifest(id: string, carried: boolean): Promise<void> {
    await rm(this.manifestPath(id, carried), { force: true });
  }
}
