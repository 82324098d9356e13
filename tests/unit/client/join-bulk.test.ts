import { Repo, type DocHandle } from '@automerge/automerge-repo';
import * as Automerge from '@automerge/automerge';
import { afterEach, describe, expect, it } from 'vitest';
import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { forgetGoodSignatures } from '../../../src/core/crypto/sign.ts';
import { createProfile, memberEntry, newFeedDoc } from '../../../src/core/model/community.ts';
import { createIntent, editIntent } from '../../../src/core/model/intent.ts';
import type { CommunityDoc, FeedDoc, Intent } from '../../../src/core/model/types.ts';
import type { IntentRow } from '../../../src/client/local-store.ts';
import { BULK_FROM, FIRST_SCREEN, type IntakeProgress } from '../../../src/client/feed-intake.ts';
import { webCryptoSignatureCheck } from '../../../src/platform/ed25519.ts';
import { makeCommunity, makePhone, until, type TestPhone } from './harness.ts';

/** Like `until`, for a check that reads the phone's (asynchronous) index; bounded. */
async function untilAsync(check: () => Promise<boolean>, what: string, maxTurns = 4000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never happened: ${what}`);
}

const OFFERS = 240;
const ROUNDS = 12;

const phones: TestPhone[] = [];
const repos: Repo[] = [];
afterEach(async () => {
  for (const p of phones.splice(0)) p.phone.stop();
  for (const r of repos.splice(0)) await r.shutdown();
});

const offer = (me: Identity, i: number, at: number): Intent =>
  createIntent(me, { kind: 'offer', category: ['food', 'tools', 'skills'][i % 3], title: `Offer ${i}`, description: i % 2 ? 'ring twice' : '', area: i % 4 ? 'north' : undefined }, at);

/** What a phone lists of one author: its index rows as a person would see them (public posts). */
async function rowsOf(p: TestPhone, author: string): Promise<Array<Omit<IntentRow, 'sealed'>>> {
  const rows = await p.local.intents.newest((r) => r.author === author, 1_000_000);
  return rows.map(({ sealed: _s, ...r }) => r).sort((a, b) => a.key.localeCompare(b.key));
}

const heads = (h: DocHandle<unknown> | undefined) => (h ? [...Automerge.getHeads(h.doc() as Automerge.Doc<unknown>)].sort() : []);

describe('client: a newcomer takes in a big feed in bulk (issue #20)', () => {
  it('Scenario: a phone that joins through the bulk path holds exactly the same posts and index as one that synced slowly', async () => {
    const repo = new Repo({});
    repos.push(repo);
    const community = makeCommunity(repo);
    // The phone that was there all along: tweetnacl only (no bulk path), each change read as it came.
    const slow = makePhone(repo);
    phones.push(slow);
    await slow.phone.boot();
    await slow.phone.join('Sol', community.invite);

    // Mara, a member with a long history: her offers arrive one change of 20 at a time.
    const mara = createIdentity();
    const start = Date.now() - 86_400_000;
    const feed = repo.create<FeedDoc>(newFeedDoc(mara.agentId, community.id));
    const communityHandle = await repo.find<CommunityDoc>(community.url as never);
    communityHandle.change((d) => void (d.members[mara.agentId] = memberEntry(mara, createProfile(mara, 'Mara', start), community.id, feed.url, start)));
    const all: Intent[] = Array.from({ length: OFFERS }, (_, i) => offer(mara, i, start + i * 1000));
    const perRound = OFFERS / ROUNDS;
    for (let r = 0; r < ROUNDS; r++) {
      feed.change((d) => {
        for (const o of all.slice(r * perRound, (r + 1) * perRound)) d.intents[o.id] = o;
      });
      await untilAsync(async () => (await rowsOf(slow, mara.agentId)).length === (r + 1) * perRound, `round ${r} listed by the slow phone`);
    }
    // History the bulk path must read as the slow one did: an edit, a deletion (restored from history),
    // a newest record tampered after signing, and one forged by someone else (both refused).
    const edited = editIntent(mara, all[10], { kind: 'offer', category: 'food', title: 'Offer 10, now with jam', description: '' }, start + OFFERS * 1000);
    const forger = createIdentity();
    const forged = { ...offer(forger, 9999, Date.now() + 60_000), author: mara.agentId };
    const tampered = { ...all[OFFERS - 1], name: 'Send money first', updated: Date.now() + 120_000 };
    feed.change((d) => {
      d.intents[edited.id] = edited;
      delete d.intents[all[20].id];
      d.intents[forged.id] = forged;
      d.intents[tampered.id] = tampered;
    });
    await untilAsync(async () => (await rowsOf(slow, mara.agentId)).some((r) => r.record?.name === 'Offer 10, now with jam'), 'the slow phone read the edit');
    await until(() => slow.phone.community.state.state.rejected >= 2, 'the slow phone refused the forged and tampered records');
    const slowRows = await rowsOf(slow, mara.agentId);
    expect(slowRows).toHaveLength(OFFERS);

    // The newcomer: a cold signature cache and the browser's WebCrypto ed25519, as a fresh phone has.
    forgetGoodSignatures();
    const bulk = makePhone(repo, undefined, undefined, webCryptoSignatureCheck);
    phones.push(bulk);
    const seen: IntakeProgress[] = [];
    let firstScreen: Promise<IntentRow[]> | undefined;
    bulk.phone.community.state.subscribe(({ intake }) => {
      if (intake && seen.at(-1) !== intake) seen.push(intake);
      // The first screenful is listed before the next batch is checked: read the index at that moment.
      if (intake && intake.done > FIRST_SCREEN && !firstScreen) firstScreen = bulk.local.intents.newest(() => true, 1_000_000);
    });
    await bulk.phone.boot();
    await bulk.phone.join('Bea', slow.phone.community.state.state.invite);
    await untilAsync(async () => (await rowsOf(bulk, mara.agentId)).length === OFFERS && bulk.phone.community.state.state.intake === null, 'the newcomer listed every offer');

    expect(await rowsOf(bulk, mara.agentId)).toEqual(slowRows);
    expect(heads(bulk.phone.community.feeds.get(mara.agentId))).toEqual(heads(slow.phone.community.feeds.get(mara.agentId)));
    await until(() => bulk.phone.community.state.state.rejected === slow.phone.community.state.state.rejected, 'both refused the same records');

    // Progress went from the first screenful to every post; the early screenful held only proven posts.
    expect(OFFERS).toBeGreaterThanOrEqual(BULK_FROM);
    expect(seen[0]).toEqual({ done: 0, total: expect.any(Number) });
    expect(seen.some((p) => p.done === FIRST_SCREEN)).toBe(true);
    expect(seen.at(-1)!.done).toBe(seen.at(-1)!.total);
    const early = await firstScreen!;
    expect(early.length).toBeGreaterThanOrEqual(FIRST_SCREEN - 2);
    for (const row of early) expect(slowRows).toContainEqual(expect.objectContaining({ key: row.key, record: row.record }));
    expect(early.map((r) => r.record?.name)).not.toContain('Send money first');
  }, 300_000);
});
