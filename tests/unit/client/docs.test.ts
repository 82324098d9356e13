import { Repo, stringifyAutomergeUrl, type BinaryDocumentId } from '@automerge/automerge-repo';
import type { Repo as SlimRepo } from '@automerge/automerge-repo/slim';
import { afterEach, describe, expect, it } from 'vitest';
import { PhoneDocs } from '../../../src/client/docs.ts';
import type { SyncLink } from '../../../src/client/ports.ts';
import { makeCommunity } from './harness.ts';
import { MemoryStorageAdapter } from '../contract/memory-storage.ts';

const repos: Repo[] = [];
afterEach(async () => {
  // automerge-repo flushes every handle at shutdown and throws at one that never arrived: nothing to save there.
  for (const r of repos.splice(0)) await r.shutdown().catch((e: Error) => expect(e.message).toBe('DocHandle is not ready'));
});

/** PhoneDocs over a real in-memory Repo; counts how often the platform was asked to open it. */
function docs() {
  const repo = new Repo({});
  repos.push(repo);
  let opened = 0;
  let links = 0;
  const d = new PhoneDocs(
    async () => {
      opened++;
      await new Promise((r) => setTimeout(r, 5)); // opening takes a moment: a second caller must wait for the same one
      return { repo: repo as unknown as SlimRepo, onPeer: () => undefined, onDisconnect: () => undefined, onRefused: () => undefined } satisfies SyncLink;
    },
    () => undefined,
    () => void links++,
  );
  return { d, repo, opened: () => opened, links: () => links };
}

describe('client: the phone’s docs in Node', () => {
  it('Scenario: the repo is opened once however many ask at the same time, and never without the data key', async () => {
    const { d, opened, links } = docs();
    await expect(d.start(undefined)).rejects.toThrow('error.notReady');
    const key = new Uint8Array(32);
    const [a, b] = await Promise.all([d.start(key), d.start(key)]);
    expect(a).toBe(b);
    expect(await d.start(key)).toBe(a);
    expect(opened()).toBe(1);
    expect(links()).toBe(1);
    expect(d.written()).toEqual([]); // nothing of mine is open yet
  });

  it('Scenario: a community URL that is not a community, or nowhere, is refused with a message', async () => {
    const { d, repo } = docs();
    const started = await d.start(new Uint8Array(32));
    const community = makeCommunity(repo);
    expect((await d.findCommunity(started, community.url)).doc().type).toBe('community');
    const notCommunity = repo.create({ type: 'feed', owner: 'x' });
    await expect(d.findCommunity(started, notCommunity.url)).rejects.toThrow('error.communityUnavailable');
    await expect(d.findCommunity(started, 'automerge:not-a-url')).rejects.toThrow('error.communityUnavailable');
  });

  /** PhoneDocs over a Repo with storage that writes a changed doc out only after a minute (100 ms in the app). */
  async function slowSaving(storage: MemoryStorageAdapter, shutDown = true) {
    const repo = new Repo({ storage, saveDebounceRate: 60_000 });
    if (shutDown) repos.push(repo);
    const d = new PhoneDocs(async () => ({ repo: repo as unknown as SlimRepo, onPeer: () => undefined, onDisconnect: () => undefined, onRefused: () => undefined }), () => undefined, () => undefined);
    await d.start(new Uint8Array(32));
    return { repo, d };
  }

  it('Scenario: what the phone wrote a moment before a reload is on disk when the reload comes', async () => {
    const storage = new MemoryStorageAdapter();
    const { repo, d } = await slowSaving(storage);
    const feed = repo.create<{ posts: string[] }>({ posts: [] });
    feed.change((doc) => void doc.posts.push('Seedlings'));
    // A doc still on its way from the hub is open too: the repo refuses to save that one, and it must not stop the rest.
    repo.find(stringifyAutomergeUrl(new Uint8Array(16).fill(7) as BinaryDocumentId)).catch(() => undefined);
    await d.settle();
    // The page after the reload: a new repo over the same disk.
    const after = new Repo({ storage });
    repos.push(after);
    expect((await after.find<{ posts: string[] }>(feed.url)).doc().posts).toEqual(['Seedlings']);
  });

  it('Scenario: a disk that never answers does not hold a lock back', async () => {
    const storage = new MemoryStorageAdapter();
    storage.save = () => new Promise(() => undefined);
    const { repo, d } = await slowSaving(storage, false); // its shutdown would wait on that disk for ever
    repo.create<{ posts: string[] }>({ posts: ['Seedlings'] });
    await d.settle(20); // resolves after its bound although the write never ends
  });
});
