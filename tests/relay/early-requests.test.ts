import type { AutomergeUrl } from '@automerge/automerge-repo';
import { describe, expect, it } from 'vitest';
import { findEventually } from '../../src/platform/find-eventually.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { relaySuite } from '../helpers/relay-suite.ts';

// openspec/specs/island-sync — a doc asked for before any community listed it reaches the phone when it arrives
const t = relaySuite();

async function syncStatus(url: string): Promise<{ earlyRequests: number }> {
  return ((await (await fetch(`${url}/api/status`)).json()) as { sync: { earlyRequests: number } }).sync;
}

describe('early requests', () => {
  it('Scenario: a phone that asked for a feed before it reached its island gets it when a bridge brings it', async () => {
    const kb = await t.presetKey();
    const a = await t.relay('early-a', ['--community-relay', kb.key]);
    const tcpclPort = (await dtnStatus(a.url)).tcpclPort;
    const url = (await (await fetch(`${a.url}/api/info`)).json() as { communities: Array<{ url: AutomergeUrl }> }).communities[0].url;
    const alice = await t.member(a, 'Alice');
    await alice.post([{ kind: 'need', category: 'food', title: 'Rice', description: '' }]);
    await expect.poll(async () => (await dtnStatus(a.url)).store.local.count, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    // Island A goes quiet (its data stays); island B starts, dialling A's TCPCL port, which nothing answers.
    await t.stop(a);
    const b = await t.relay('early-b', ['--join', url, '--peer', `127.0.0.1:${tcpclPort}`], kb.dataDir);
    // A phone on B asks for Alice's feed (it knows the URL, say from a message): B has never heard of it.
    const reader = t.reader(b, url);
    const feed = await findEventually<{ type?: string }>(reader.repo, alice.feedUrl);
    expect(feed.doc()?.type).toBeUndefined();
    await expect.poll(async () => (await syncStatus(b.url)).earlyRequests, { timeout: 15_000 }).toBe(1);
    // A comes back on the same port; the contact brings the community and Alice's feed to B.
    await t.relay('early-a', ['--community-relay', kb.key, '--tcpcl-port', String(tcpclPort)], a.dataDir);
    // The phone did not ask again (automerge-repo never does), yet the feed reaches it.
    await expect.poll(() => feed.doc()?.type, { timeout: 60_000 }).toBe('feed');
    expect((await syncStatus(b.url)).earlyRequests).toBe(0);
  });
});
