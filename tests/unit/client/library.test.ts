import { describe, expect, it } from 'vitest';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();

describe('client: the library on the phone in Node', () => {
  it('Scenario: a file shared with no relay in reach stays on the phone, sealed, and opens whole; dropping it frees its chunks', async () => {
    const { ana } = await suite.founderAndNewcomer({ vouch: false });
    const library = ana.phone.library!;
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
    const progress: number[] = [];
    const shared = await library.share(bytes, { name: 'seeds.pdf', mime: 'application/pdf', licence: 'CC-BY-4.0', audience: 'public' }, (done) => progress.push(done)).catch((e: unknown) => e);
    expect(shared).toBeInstanceOf(Error); // the upload failed: no relay
    const files = await library.list();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ pinned: true, relay: null, manifest: { name: 'seeds.pdf' } });
    expect(files[0].here.done).toBe(true);
    // Chunks are sealed at rest: the file's bytes are not in storage as they are.
    const chunk = await ana.local.chunks.get(files[0].manifest.chunks[0]);
    expect(Buffer.from(chunk!.sealed).includes(Buffer.from(bytes.subarray(0, 64)))).toBe(false);
    const blob = await library.open(files[0].manifest);
    expect(new Uint8Array(await blob!.arrayBuffer())).toEqual(bytes);
    expect(await library.spaceUsed()).toBe(bytes.length);

    await library.drop(files[0].manifest.id);
    expect(await library.list()).toEqual([]);
    expect(await library.spaceUsed()).toBe(0);
  });
});
