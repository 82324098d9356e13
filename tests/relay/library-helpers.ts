import net from 'node:net';
import { expect } from 'vitest';
import type { Identity } from '../../src/core/crypto/keys.ts';
import { createManifest, type FileInput, type FileManifest } from '../../src/core/library/index.ts';
import { rng } from '../helpers/prng.ts';

/** fetch's types want an ArrayBuffer-backed view; ours are. */
export const asBody = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;

/** Deterministic incompressible bytes. */
export function randomFile(size: number, seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(size);
  const v = new Uint32Array(out.buffer, 0, Math.floor(size / 4));
  for (let i = 0; i < v.length; i++) v[i] = Math.floor(r() * 2 ** 32);
  return out;
}

export interface LibraryStatus {
  files: number;
  chunks: number;
  bytes: number;
  chunkBundles: number;
}

export async function libraryStatus(url: string): Promise<LibraryStatus> {
  return ((await (await fetch(`${url}/api/status`)).json()) as { library: LibraryStatus }).library;
}

export const FILE: FileInput = { name: 'Water filter manual.pdf', mime: 'application/pdf', licence: 'CC-BY-SA-4.0', audience: 'public' };

export async function postManifest(url: string, m: unknown): Promise<Response> {
  return fetch(`${url}/api/library/manifests`, { method: 'POST', body: JSON.stringify(m), headers: { 'content-type': 'application/json' } });
}

/** A phone shares a file: manifest first (retried while its member entry reaches the relay), then the chunks it is asked for. */
export async function share(url: string, me: Identity, bytes: Uint8Array, input = FILE): Promise<{ manifest: FileManifest; missing: number[]; uploaded: number }> {
  const { manifest, chunks } = createManifest(me, input, bytes, Date.now());
  let missing: number[] = [];
  await expect
    .poll(async () => {
      const res = await postManifest(url, manifest);
      if (res.ok) missing = ((await res.json()) as { missing: number[] }).missing;
      return res.status;
    }, { timeout: 20_000 })
    .toBeLessThan(300);
  const queue = [...missing];
  const worker = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const res = await fetch(`${url}/api/library/chunks/${manifest.chunks[i]}`, { method: 'PUT', body: asBody(chunks[i]) });
      expect(res.status).toBeLessThan(300);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return { manifest, missing, uploaded: missing.length };
}

/** A phone fetches a file back: the manifest, then every chunk by hash. */
export async function download(url: string, manifest: FileManifest): Promise<Uint8Array> {
  const out = new Uint8Array(manifest.size);
  for (let i = 0; i < manifest.chunks.length; i++) {
    const res = await fetch(`${url}/api/library/chunks/${manifest.chunks[i]}`);
    expect(res.status).toBe(200);
    out.set(new Uint8Array(await res.arrayBuffer()), i * manifest.chunkSize);
  }
  return out;
}

/**
 * A TCP link between the bridge and an island that counts the bytes it carries each way and can be
 * cut after a given number of bytes towards the island: a contact broken halfway, at a known point.
 */
export class CuttableLink {
  private server!: net.Server;
  private sockets = new Set<net.Socket>();
  private open = true;
  toIsland = 0;
  fromIsland = 0;
  cutAfter = Infinity;
  private onCut?: () => void;
  readonly cut = new Promise<void>((r) => (this.onCut = r));
  port = 0;

  constructor(private readonly target: number) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      if (!this.open) return void client.destroy();
      const upstream = net.connect(this.target, '127.0.0.1');
      this.sockets.add(client).add(upstream);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('data', (d: Buffer) => {
        if (!this.open) return;
        const room = this.cutAfter - this.toIsland;
        if (d.length >= room) {
          if (room > 0) upstream.write(d.subarray(0, room));
          this.toIsland += Math.max(0, room);
          this.cutNow();
          return;
        }
        this.toIsland += d.length;
        upstream.write(d);
      });
      upstream.on('data', (d: Buffer) => {
        this.fromIsland += d.length;
        client.write(d);
      });
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  private cutNow(): void {
    this.open = false;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.onCut?.();
  }

  /** Lets contacts through again with fresh counters and no cut. */
  reopen(): void {
    this.toIsland = 0;
    this.fromIsland = 0;
    this.cutAfter = Infinity;
    this.open = true;
  }

  async close(): Promise<void> {
    this.cutNow();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
