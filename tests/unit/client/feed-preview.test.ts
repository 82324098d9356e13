import { Repo } from '@automerge/automerge-repo';
import { afterEach, describe, expect, it } from 'vitest';
import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { createProfile, memberEntry } from '../../../src/core/model/community.ts';
import { createIntent, editIntent } from '../../../src/core/model/intent.ts';
import type { CommunityDoc, FeedDoc, Intent } from '../../../src/core/model/types.ts';
import { FEED_PREVIEW_MAX_BYTES, FEED_PREVIEW_POSTS, feedPreviewPath } from '../../../src/core/protocol/routes.ts';
import { fetchFeedPreview, PREVIEWS_AT_ONCE } from '../../../src/client/feed-preview.ts';
import { newFeedDoc } from '../../../src/core/model/community.ts';
import { makeCommunity, makePhone, type TestPhone } from './harness.ts';

const mara = createIdentity();
const FEED = '3x4bS9yG1HfVxQk2nW8pRtZ5cE7mA6Lj';
const offer = (who: Identity, i: number, title = `Offer ${i}`): Intent => createIntent(who, { kind: 'offer', category: 'food', title, description: '' }, 1_700_000_000_000 + i);
const noPrime = async () => undefined;

/** A relay that answers the preview route with `body` (a Response, or JSON), and anything else with 404. */
const hub = (body: (path: string) => Response | unknown) => ({
  base: 'http://hub',
  fetch: (async (input: string | URL | Request) => {
    const path = new URL(String(input)).pathname;
    const b = body(path);
    return b instanceof Response ? b : new Response(JSON.stringify(b), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch,
});

describe('client: a first screenful of a big feed from the hub (issue #20)', () => {
  it('Scenario: the preview lists only posts signed by the feed’s owner, at most a screenful; a forged, foreign, wrong, broken or endless answer lists nothing false', async () => {
    const honest = [offer(mara, 1), offer(mara, 2)];
    const forged = { ...offer(mara, 3), name: 'Send money first' };
    const foreign = offer(createIdentity(), 4);
    const got = await fetchFeedPreview(hub(() => ({ feed: FEED, intents: [...honest, forged, foreign] })), FEED, mara.agentId, noPrime);
    expect(got.map((i) => i.name).sort()).toEqual(['Offer 1', 'Offer 2']);

    const many = Array.from({ length: FEED_PREVIEW_POSTS + 20 }, (_, i) => offer(mara, 100 + i));
    expect(await fetchFeedPreview(hub(() => ({ feed: FEED, intents: many })), FEED, mara.agentId, noPrime)).toHaveLength(FEED_PREVIEW_POSTS);

    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new Uint8Array(64 * 1024).fill(0x20)); // never ends: cut off at the limit
      },
    });
    for (const answer of [
      { feed: 'another-feed', intents: honest },
      { feed: FEED, intents: 'x' },
      new Response('not json', { status: 200 }),
      new Response(JSON.stringify({ error: 'no' }), { status: 404 }),
      new Response(JSON.stringify({ feed: FEED, intents: honest }), { headers: { 'content-length': String(FEED_PREVIEW_MAX_BYTES + 1) } }),
      new Response(endless),
    ]) {
      expect(await fetchFeedPreview(hub(() => answer), FEED, mara.agentId, noPrime)).toEqual([]);
    }
    const unreachable = { base: 'http://hub', fetch: (async () => Promise.reject(new TypeError('fetch failed'))) as typeof fetch };
    expect(await fetchFeedPreview(unreachable, FEED, mara.agentId, noPrime)).toEqual([]);
  });

  const phones: TestPhone[] = [];
  const repos: Repo[] = [];
  afterEach(async () => {
    for (const p of phones.splice(0)) p.phone.stop();
    for (const r of repos.splice(0)) await r.shutdown();
  });

  /** A community doc in a Repo of its own (phones built on it see each other's writes at once). */
  async function aCommunity() {
    const repo = new Repo({});
    repos.push(repo);
    const community = makeCommunity(repo);
    return { repo, community, handle: await repo.find<CommunityDoc>(community.url as never), now: Date.now() };
  }

  it('Scenario: a newcomer lists the hub’s preview of a feed still on its way; once the feed is read, what it proves replaces a late or stale preview', async () => {
    const { repo, community, handle, now } = await aCommunity();
    // Mara's feed is still on a bridge: her entry names a doc nobody here holds.
    const missing = `automerge:${FEED}`;
    handle.change((d) => void (d.members[mara.agentId] = memberEntry(mara, createProfile(mara, 'Mara', now), community.id, missing, now)));
    const early = [offer(mara, 1, 'Rice to share'), offer(mara, 2, 'Winter coats')];
    const asked: string[] = [];
    const newcomer = makePhone(repo, undefined, hub((path) => (asked.push(path), path === feedPreviewPath(FEED) ? { feed: FEED, intents: early } : new Response('', { status: 404 }))).fetch);
    phones.push(newcomer);
    await newcomer.phone.boot();
    await newcomer.phone.join('Bea', community.invite);
    await expect.poll(async () => (await newcomer.local.intents.byAuthor(mara.agentId)).map((r) => r.record?.name).sort(), { timeout: 20_000 }).toEqual(['Rice to share', 'Winter coats']);
    expect(asked).toContain(feedPreviewPath(FEED));

    // Nuno's feed is here; the hub's preview of it comes late and holds an older version of his post.
    const nuno = createIdentity();
    const feed = repo.create<FeedDoc>(newFeedDoc(nuno.agentId, community.id));
    const first = offer(nuno, 5, 'Ladder');
    const second = editIntent(nuno, first, { kind: 'offer', category: 'tools', title: 'Ladder (3 m)', description: '' }, first.updated + 1000);
    feed.change((d) => void (d.intents[second.id] = second));
    let answer!: (r: Response) => void;
    const late = new Promise<Response>((r) => (answer = r));
    const cai = makePhone(repo, undefined, (async (input: string | URL | Request) => (String(input).endsWith(encodeURIComponent(feed.documentId)) ? late : new Response('', { status: 404 }))) as typeof fetch);
    phones.push(cai);
    handle.change((d) => void (d.members[nuno.agentId] = memberEntry(nuno, createProfile(nuno, 'Nuno', now), community.id, feed.url, now)));
    await cai.phone.boot();
    await cai.phone.join('Cai', community.invite);
    await expect.poll(async () => (await cai.local.intents.byAuthor(nuno.agentId)).map((r) => r.record?.name), { timeout: 20_000 }).toEqual(['Ladder (3 m)']);
    // The stale answer arrives now; the phone has read it whole once its body is drained, and what
    // follows (parse, check, the decision not to list it) takes no I/O: it is done before the next macrotask.
    let drained!: () => void;
    const read = new Promise<void>((r) => (drained = r));
    const bytes = new TextEncoder().encode(JSON.stringify({ feed: feed.documentId, intents: [first] }));
    let sent = false;
    answer(new Response(new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent) {
          c.close();
          drained();
        } else c.enqueue(bytes);
        sent = true;
      },
    })));
    await read;
    await new Promise((r) => setImmediate(r));
    await cai.local.intents.putRows([]); // and any write it queued is behind this one
    expect((await cai.local.intents.byAuthor(nuno.agentId)).map((r) => r.record?.name)).toEqual(['Ladder (3 m)']);
  });

  it('Scenario: a newcomer’s join asks the hub for the members’ previews before the phone is ready, not after', async () => {
    const { repo, community, handle, now } = await aCommunity();
    handle.change((d) => void (d.members[mara.agentId] = memberEntry(mara, createProfile(mara, 'Mara', now), community.id, `automerge:${FEED}`, now)));
    const phasesWhenAsked: string[] = [];
    let newcomer!: TestPhone;
    newcomer = makePhone(repo, undefined, hub((path) => {
      if (path !== feedPreviewPath(FEED)) return new Response('', { status: 404 });
      phasesWhenAsked.push(newcomer.phone.session.state.state.phase);
      return { feed: FEED, intents: [offer(mara, 1, 'Rice to share')] };
    }).fetch);
    phones.push(newcomer);
    await newcomer.phone.boot();
    await newcomer.phone.join('Bea', community.invite);
    await expect.poll(async () => (await newcomer.local.intents.byAuthor(mara.agentId)).map((r) => r.record?.name), { timeout: 20_000 }).toEqual(['Rice to share']);
    // Asked once, while the join was still writing (it used to wait for the docs, after the list was shown).
    expect(phasesWhenAsked).toHaveLength(1);
    expect(phasesWhenAsked[0]).not.toBe('ready');
  });

  it('Scenario: a newcomer to a big community asks its hub for a few previews at a time, not one per member at once', async () => {
    const { repo, community, handle, now } = await aCommunity();
    // Twelve members whose feeds are all still on a bridge (their entries name docs nobody here holds).
    const members = Array.from({ length: 12 }, (_, i) => ({ who: createIdentity(), feed: `${FEED.slice(0, -1)}${'abcdefghijkm'[i]}` }));
    handle.change((d) => {
      for (const m of members) d.members[m.who.agentId] = memberEntry(m.who, createProfile(m.who, `M${m.feed}`, now), community.id, `automerge:${m.feed}`, now);
    });
    let inFlight = 0;
    let most = 0;
    const answered: string[] = [];
    const hubFetch = (async (input: string | URL | Request) => {
      const path = new URL(String(input)).pathname;
      const m = members.find((x) => path === feedPreviewPath(x.feed));
      if (!m) return new Response('', { status: 404 });
      inFlight++;
      most = Math.max(most, inFlight);
      // Each answer waits for a later turn of the event loop, so requests would pile up if nothing held them back.
      await new Promise((r) => setImmediate(r));
      inFlight--;
      answered.push(m.feed);
      return new Response(JSON.stringify({ feed: m.feed, intents: [offer(m.who, 1, `Post of ${m.feed}`)] }));
    }) as typeof fetch;
    const newcomer = makePhone(repo, undefined, hubFetch);
    phones.push(newcomer);
    await newcomer.phone.boot();
    await newcomer.phone.join('Bea', community.invite);
    await expect.poll(async () => (await newcomer.local.intents.newest(() => true, 100)).length, { timeout: 20_000 }).toBe(members.length);
    expect(answered).toHaveLength(members.length);
    expect(most).toBeLessThanOrEqual(PREVIEWS_AT_ONCE);
    expect(most).toBeGreaterThan(1);
  });
});
