import { Repo, type AutomergeUrl } from '@automerge/automerge-repo';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../src/core/crypto/keys.ts';
import { createFounding, createSetting, createSettingAs } from '../../src/core/model/community-records.ts';
import { defaultSettings } from '../../src/core/model/community-settings.ts';
import type { CommunityDoc, FeedDoc } from '../../src/core/model/types.ts';
import { plainScalars } from '../../src/core/model/scalar-strings.ts';
import { findEventually } from '../../src/platform/find-eventually.ts';
import { SessionWebSocketClientAdapter } from '../../src/platform/session-socket.ts';
import { offers } from '../helpers/phone-client.ts';
import { relaySuite } from '../helpers/relay-suite.ts';

const t = relaySuite();

/**
 * A writer that follows no rules of the data: a fresh key holding the invite (the community URL), so the
 * relay lets its session in like any newcomer's, and then raw automerge-repo edits. (A client with no key
 * or invite is not even let in: tests/adversary/sessions-sync.test.ts.)
 */
function hostileClient(url: string, community: AutomergeUrl): Repo {
  const identity = createIdentity();
  const network = new SessionWebSocketClientAdapter(url.replace(/^http/, 'ws') + '/sync', 500, () => ({ identity, communityUrls: [community] }));
  return new Repo({ network: [network] });
}

describe('write rights: a hostile writer cannot rewrite the community or anyone else’s posts', () => {
  it('Scenario: rename, threshold 0, deleted member, deleted offer and deleted revocation change nothing honest phones see', async () => {
    const relay = await t.relay('wr-ws');
    const alice = await t.member(relay, 'Alice');
    const bob = await t.member(relay, 'Bob');
    const url = await alice.communityUrl();
    const [offer] = await alice.post(offers('Bread', 1));
    // Bob vouches for Alice from her code, then takes it back: both signed records stay in his feed.
    const vouch = await bob.client.trust.vouch(bob.client.trust.readCode(alice.client.trust.myCode()), 2, 'met her');
    await bob.client.trust.revoke(vouch.id);
    const revocation = Object.values(bob.client.docs.feed!.doc().revocations).map(plainScalars).find((r) => r.revokes === vouch.id)!;

    // A third, honest phone sees the community as its members made it.
    const carol = await t.member(relay, 'Carol');
    await expect.poll(async () => carol.titles().includes('Bread 1'), { timeout: 20_000 }).toBe(true);
    await expect.poll(async () => Object.keys(carol.community().members).length, { timeout: 20_000 }).toBe(3);
    const before = carol.community();
    expect(await carol.vouchIds()).not.toContain(vouch.id);

    const evil = hostileClient(relay.url, url);
    try {
      const community = await findEventually<CommunityDoc>(evil, url);
      await expect.poll(() => Object.keys(community.doc()?.members ?? {}).length, { timeout: 20_000 }).toBe(3);
      const mallory = createIdentity();
      community.change((d) => {
        d.name = 'Taken over';
        d.thresholds = { view: 0, post: 0, message: 0, vouch: 0, steward: 0 };
        delete d.members[bob.me.agentId];
        // A setting signed by someone who is no steward, and a backdated founding record of their own.
        const s = createSettingAs(mallory, before.id, 'name', 'Mallory town', Date.now());
        d.settings ??= {};
        d.settings[s.id] = s;
      });
      const aliceFeed = await findEventually<FeedDoc>(evil, alice.feedUrl);
      aliceFeed.change((d) => void delete d.intents[offer.id]);
      const bobFeed = await findEventually<FeedDoc>(evil, bob.feedUrl);
      bobFeed.change((d) => {
        delete d.revocations[revocation.id];
        d.owner = mallory.agentId;
      });
      await evil.flush();

      // Carol's phone has the hostile edits (its raw doc shows them) ...
      await expect
        .poll(async () => {
          const raw = (await findEventually<CommunityDoc>(carol.repo, url)).doc();
          const f = (await findEventually<FeedDoc>(carol.repo, alice.feedUrl)).doc();
          const b = (await findEventually<FeedDoc>(carol.repo, bob.feedUrl)).doc();
          return raw.name === 'Taken over' && !raw.members[bob.me.agentId] && !f.intents[offer.id] && !b.revocations[revocation.id];
        }, { timeout: 20_000 })
        .toBe(true);
      // ... and reads exactly what it read before.
      const after = carol.community();
      expect(after.settings).toEqual(before.settings);
      expect(after.settings.thresholds.steward).toBeGreaterThan(0);
      expect(Object.keys(after.members).sort()).toEqual(Object.keys(before.members).sort());
      expect(after.problems.map((p) => p.reason)).toEqual(expect.arrayContaining(['member.restored', 'setting.notSteward']));
      expect(carol.titles()).toContain('Bread 1');
      expect(await carol.vouchIds()).not.toContain(vouch.id);
      // A phone that joins only now, and never saw the records before they vanished, reads the same.
      const dave = await t.member(relay, 'Dave');
      await expect.poll(async () => dave.titles().includes('Bread 1'), { timeout: 20_000 }).toBe(true);
      expect(dave.community().settings.name).toBe(before.settings.name);
      expect(await dave.vouchIds()).not.toContain(vouch.id);
      expect(Object.keys(dave.community().members)).toContain(bob.me.agentId);
    } finally {
      await evil.shutdown();
    }
  });

  it('Scenario: a forged founding record does not make its author the founder for a phone that pinned the real one', async () => {
    const relay = await t.relay('wr-found');
    const alice = await t.member(relay, 'Alice');
    const url = await alice.communityUrl();
    const id = alice.community().id;
    const evil = hostileClient(relay.url, url);
    try {
      const community = await findEventually<CommunityDoc>(evil, url);
      await expect.poll(() => community.doc()?.founding?.author, { timeout: 20_000 }).toBe(alice.founder);
      const mallory = createIdentity();
      community.change((d) => {
        d.founding = createFounding(mallory.signSecretKey, mallory.agentId, id, { ...defaultSettings('Mallory town'), thresholds: { view: 0.01, post: 0.01, message: 0.01, vouch: 0.01, steward: 0.01 } }, 0);
      });
      await evil.flush();
      await expect.poll(async () => (await findEventually<CommunityDoc>(alice.repo, url)).doc().founding?.author, { timeout: 20_000 }).toBe(mallory.agentId);
      // Read as a phone that pinned the founder its invite named (src/client/community.ts pins it at join).
      const view = await t.reader(relay, url).community(url, alice.founder);
      expect(view.founder).toBe(alice.founder);
      expect(view.settings.name).not.toBe('Mallory town');
      expect(view.stewards).not.toContain(mallory.agentId);
    } finally {
      await evil.shutdown();
    }
  });

  it('Scenario: the first member is appointed steward and a steward-signed rename is honoured', async () => {
    const relay = await t.relay('wr-steward');
    const alice = await t.member(relay, 'Alice');
    const url = await alice.communityUrl();
    await expect.poll(async () => alice.community().stewards, { timeout: 20_000 }).toContain(alice.me.agentId);
    const community = await findEventually<CommunityDoc>(alice.repo, url);
    const id = alice.community().id;
    const rename = createSettingAs(alice.me, id, 'name', 'Riverside mutual aid', Date.now());
    // A steward's setting with a value out of bounds is refused even though it is signed.
    const zero = { ...createSetting(alice.me.signSecretKey, alice.me.agentId, id, 'thresholds', { view: 0.1, post: 0.2, message: 0.3, vouch: 0.4, steward: 0.5 }, Date.now()) };
    community.change((d) => {
      d.settings![rename.id] = rename;
      d.settings![zero.id] = { ...zero, value: { view: 0, post: 0, message: 0, vouch: 0, steward: 0 } };
    });
    const bob = await t.member(relay, 'Bob');
    await expect.poll(async () => bob.community().settings.name, { timeout: 20_000 }).toBe('Riverside mutual aid');
    expect(bob.community().settings.thresholds.steward).toBeGreaterThan(0.5);
  });
});
