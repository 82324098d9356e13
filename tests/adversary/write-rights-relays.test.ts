import * as Automerge from '@automerge/automerge';
import { parseAutomergeUrl, type AutomergeUrl } from '@automerge/automerge-repo';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { decodeBundleOrThrow, encodeBundle } from '../../src/core/dtn/index.ts';
import type { CommunityDoc } from '../../src/core/model/types.ts';
import type { ChangeSetPayload } from '../../src/core/sync/index.ts';
import { findEventually } from '../../src/platform/find-eventually.ts';
import { changeSetBundle, inject, newDoc, secretKeyIn } from '../helpers/change-set-bundles.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { relaySuite } from '../helpers/relay-suite.ts';

const t = relaySuite();

describe('write rights across relays: change-sets count only from a relay the community names', () => {
  it('Scenario: a forged change-set bundle injected by a raw TCPCL peer is not applied', async () => {
    const friend = await t.presetKey(); // a relay the community names (its operator listed it)
    const a = await t.relay('wr-relays', ['--community-relay', friend.key]);
    const info = (await (await fetch(`${a.url}/api/info`)).json()) as { relay: string; communities: Array<{ id: string; url: AutomergeUrl }> };
    const { id: community, url } = info.communities[0];
    const alice = await t.member(a, 'Alice');
    const doc = (await findEventually<CommunityDoc>(alice.repo, url)).doc();
    await expect.poll(async () => alice.community().settings.relays, { timeout: 20_000 }).toEqual([info.relay, friend.key]);

    const stranger = nacl.sign.keyPair().secretKey;
    const unsigned = newDoc(community, 'unsigned');
    const byStranger = newDoc(community, 'stranger');
    // The named relay's change is to a doc phones may read (Alice's feed): a relay serves a doc no member
    // lists only to the key that brought it, so a new doc would prove nothing to a phone.
    const aliceFeed = (await findEventually<Record<string, unknown>>(alice.repo, alice.feedUrl)).doc();
    const carried = Automerge.change(Automerge.clone(aliceFeed), (d) => void (d.carriedBy = 'friend'));
    const byFriend = {
      url: alice.feedUrl,
      p: { t: 'changes', doc: parseAutomergeUrl(alice.feedUrl).documentId, community, heads: Automerge.getHeads(carried), deps: Automerge.getHeads(aliceFeed), data: Automerge.saveSince(carried, Automerge.getHeads(aliceFeed)) } satisfies ChangeSetPayload,
    };
    // A rename of the community doc itself, signed by a relay nobody named.
    const renamed = Automerge.change(Automerge.clone(doc), (d) => void (d.name = 'Forged'));
    const rename: ChangeSetPayload = { t: 'changes', doc: parseAutomergeUrl(url).documentId, community, heads: Automerge.getHeads(renamed), deps: Automerge.getHeads(doc), data: Automerge.saveSince(renamed, Automerge.getHeads(doc)) };
    // A named relay's real signature block, moved onto another payload (a replayed signature).
    const friendKey = await secretKeyIn(friend.dataDir);
    const signedElsewhere = decodeBundleOrThrow(changeSetBundle(community, newDoc(community, 'original').p, friendKey));
    const replayedDoc = newDoc(community, 'replayed');
    const other = decodeBundleOrThrow(changeSetBundle(community, replayedDoc.p));
    const replayed = encodeBundle({ ...other, extensions: [...other.extensions, signedElsewhere.extensions.at(-1)!] });
    // Sealed carriage: the named relay's change sealed to the community's relays (A opens and applies it),
    // and one sealed only to itself (A carries it unopened), each a change to the community doc.
    const sealedChange = (field: string) => {
      const next = Automerge.change(Automerge.clone(doc), (d) => void ((d as unknown as Record<string, string>)[field] = 'friend'));
      return { t: 'changes', doc: parseAutomergeUrl(url).documentId, community, heads: Automerge.getHeads(next), deps: Automerge.getHeads(doc), data: Automerge.saveSince(next, Automerge.getHeads(doc)) } satisfies ChangeSetPayload;
    };
    // A stranger's sealed change, signed by a key nobody named: refused before it is opened.
    const strangerSealed = changeSetBundle(community, sealedChange('sealedByStranger'), stranger, [info.relay]);

    await inject((await dtnStatus(a.url)).tcpclPort, [
      changeSetBundle(community, unsigned.p),
      changeSetBundle(community, byStranger.p, stranger),
      changeSetBundle(community, rename, stranger),
      replayed,
      strangerSealed,
      changeSetBundle(community, sealedChange('notForA'), friendKey, [friend.key]),
      changeSetBundle(community, byFriend.p, friendKey),
      changeSetBundle(community, sealedChange('sealedBy'), friendKey, [info.relay, friend.key]),
    ]);

    // The named relay's doc is applied and served (so the others were judged before it, in order)...
    const carol = await t.member(a, 'Carol', url);
    await expect.poll(async () => (await findEventually<Record<string, unknown>>(carol.repo, byFriend.url).then((h) => h.doc()?.carriedBy).catch(() => undefined)), { timeout: 20_000 }).toBe('friend');
    // ... the others are not: the relay does not have them to serve, and the community keeps its name.
    for (const forged of [unsigned, byStranger, replayedDoc]) await expect(carol.repo.find(forged.url)).rejects.toThrow(/unavailable/);
    await expect.poll(async () => ((await findEventually<CommunityDoc>(carol.repo, url)).doc() as unknown as Record<string, unknown>).sealedBy, { timeout: 20_000 }).toBe('friend');
    const community2 = (await findEventually<CommunityDoc>(carol.repo, url)).doc() as unknown as Record<string, unknown>;
    expect(community2.name).not.toBe('Forged');
    // Sealed only to the named relay, or signed by a stranger: A did not open it, so nothing of it applies.
    expect(community2.notForA).toBeUndefined();
    expect(community2.sealedByStranger).toBeUndefined();
    const sealed = ((await (await fetch(`${a.url}/api/status`)).json()) as { replication: { sealed: { opened: number; notForUs: number; refused: number; clearTaken: number } } }).replication.sealed;
    expect(sealed.notForUs).toBeGreaterThanOrEqual(1);
    expect(sealed.refused).toBeGreaterThanOrEqual(1); // the stranger's, before opening
    expect(sealed.clearTaken).toBeGreaterThanOrEqual(1); // the named relay's clear change-set (an older relay)
    expect(a.logs.some((l) => l.includes('not from a relay of its community'))).toBe(true);
    expect(a.child.exitCode).toBeNull();
  });
});

describe('a hub the organisers take off the list', () => {
  // openspec/specs/community-settings/spec.md
  it('Scenario: a hub taken off the list stops counting, and its founding hub does not put it back, even after a restart', async () => {
    const lost = await t.presetKey(); // a hub that was seized: its key still signs
    const other = await t.presetKey(); // a hub that is still trusted
    const disk = await t.presetKey(); // the founding hub's own disk, kept for its restart
    const args = ['--community-relay', lost.key, '--community-relay', other.key];
    let a = await t.relay('wr-hubs', args, disk.dataDir);
    const info = (await (await fetch(`${a.url}/api/info`)).json()) as { relay: string; communities: Array<{ id: string; url: AutomergeUrl }> };
    const { id: community, url } = info.communities[0]!;
    const alice = await t.member(a, 'Alice'); // the first member: the hub names her organiser
    await expect.poll(() => alice.client.communitySettings.amOrganiser(), { timeout: 20_000 }).toBe(true);
    await expect.poll(async () => alice.community().settings.relays, { timeout: 20_000 }).toEqual([info.relay, lost.key, other.key]);
    await alice.client.communitySettings.stopTrustingHub(lost.key);
    await expect.poll(async () => alice.community().settings.relays, { timeout: 20_000 }).toEqual([info.relay, other.key]);

    /** A change to Alice's feed setting `field`, as one hub signs it. */
    const feedChange = async (field: string) => {
      const feed = (await findEventually<Record<string, unknown>>(alice.repo, alice.feedUrl)).doc();
      const next = Automerge.change(Automerge.clone(feed), (d) => void (d[field] = true));
      return { t: 'changes', doc: parseAutomergeUrl(alice.feedUrl).documentId, community, heads: Automerge.getHeads(next), deps: Automerge.getHeads(feed), data: Automerge.saveSince(next, Automerge.getHeads(feed)) } satisfies ChangeSetPayload;
    };
    const lostKey = await secretKeyIn(lost.dataDir);
    const otherKey = await secretKeyIn(other.dataDir);
    /** The lost hub's change then the trusted hub's: once the second applies, the first was judged. */
    const tryBoth = async (round: string) => {
      await inject((await dtnStatus(a.url)).tcpclPort, [changeSetBundle(community, await feedChange(`lost${round}`), lostKey), changeSetBundle(community, await feedChange(`other${round}`), otherKey)]);
      const reader = await t.member(a, `Reader ${round}`, url);
      await expect.poll(async () => (await findEventually<Record<string, unknown>>(reader.repo, alice.feedUrl)).doc()?.[`other${round}`], { timeout: 30_000 }).toBe(true);
      expect((await findEventually<Record<string, unknown>>(reader.repo, alice.feedUrl)).doc()?.[`lost${round}`]).toBeUndefined();
    };
    await tryBoth('1');
    // Restarted on the same disk, the founding hub (still configured to name the lost one) leaves the list as the organiser set it.
    await t.stop(a);
    a = await t.relay('wr-hubs', args, disk.dataDir);
    await tryBoth('2');
    const bea = await t.member(a, 'Bea', url);
    await expect.poll(async () => bea.community().settings.relays, { timeout: 20_000 }).toEqual([info.relay, other.key]);
  });
});
