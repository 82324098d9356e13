import { expect } from 'vitest';
import type { Identity } from '../../src/core/crypto/keys.ts';
import { createManifest, type FileInput, type FileManifest } from '../../src/core/library/index.ts';
import { asBody } from './library-link.ts';

export { asBody, CuttableLink, randomFile } from './library-link.ts';

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


