import { Repo } from '@automerge/automerge-repo';
import type { Repo as SlimRepo } from '@automerge/automerge-repo/slim';
import { afterEach, describe, expect, it } from 'vitest';
import { PhoneDocs } from '../../../src/client/docs.ts';
import type { SyncLink } from '../../../src/client/ports.ts';
import { makeCommunity } from './harness.ts';

const repos: Repo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.shutdown();
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
});
