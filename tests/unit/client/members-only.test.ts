import { describe, expect, it } from 'vitest';
import { buildKeyring, communityContext } from '../../../src/core/audience/index.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { openSealedIntents } from '../../../src/core/model/sealed-intent.ts';
import { nodeSignatureCheck } from '../../../relay/ed25519.ts';
import { utf8 } from '../../../src/core/crypto/encoding.ts';
import { forgetGoodSignatures, useSignatureCheck } from '../../../src/core/crypto/sign.ts';
import { until } from './harness.ts';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();
const names = (list: Array<{ name: string }>) => list.map((i) => i.name).sort();

describe('client: members-only posts sealed on the phone (issue #17)', () => {
  it('Scenario: a members-only offer is ciphertext in the feed doc; a vouched member reads it; a stranger\'s client and a non-entitled member do not', async () => {
    const { repo, ana, ben, benId } = await suite.founderAndNewcomer();
    // Cara joins through Ana's invite, but nobody vouches for her: a member, not entitled to members-only posts.
    const cara = suite.phone(repo);
    await cara.phone.boot();
    await cara.phone.join('Cara', ana.phone.community.state.state.invite);
    const caraId = cara.phone.session.state.state.me!.agentId;
    await until(() => ana.phone.community.state.state.members[caraId] === 'Cara', 'Ana sees Cara in the directory');

    // Ana's phone (the founder, a steward) seals the members' key to Ben once he is vouched above the post threshold.
    await until(() => ben.phone.membersKey.state.state.epochs.length > 0, "Ben's phone holds the members' key");
    await ben.phone.intents.post({ kind: 'offer', category: 'tools', title: 'Warm coat size M', description: 'Ask at the garden', area: 'north', audience: 'trusted' });
    await ben.phone.intents.post({ kind: 'offer', category: 'tools', title: 'Public ladder', description: '' });

    // The feed doc — what the relay stores and every bundle carries — holds ciphertext and routing metadata only.
    const feed = ben.phone.docs.feed!.doc()!;
    const raw = JSON.stringify(feed);
    expect(raw).not.toContain('Warm coat');
    expect(raw).not.toContain('garden');
    expect(Object.values(feed.intents).map((i) => i.name)).toEqual(['Public ladder']);
    const sealed = Object.values(feed.sealed ?? {});
    expect(sealed).toHaveLength(1);
    expect(Object.keys(sealed[0]).sort()).toEqual(['audience', 'box', 'epoch', 'id', 'nonce']);
    expect(sealed[0].audience).toBe('members');

    // A vouched member (and the steward) read it, signed by Ben.
    await until(() => names(ana.phone.board.state.state.intents).includes('Warm coat size M'), 'Ana lists the coat');
    const coat = ana.phone.board.state.state.intents.find((i) => i.name === 'Warm coat size M')!;
    expect(coat).toMatchObject({ author: benId, note: 'Ask at the garden', audience: 'trusted' });
    expect(names(ben.phone.board.state.state.intents)).toContain('Warm coat size M');

    // The non-entitled member sees the public post and nothing of the sealed one: no card, no error.
    await until(() => names(cara.phone.board.state.state.intents).includes('Public ladder'), 'Cara lists the public ladder');
    expect(cara.phone.membersKey.state.state.epochs).toEqual([]);
    expect(names(cara.phone.board.state.state.intents)).not.toContain('Warm coat size M');
    expect(cara.phone.community.views.get(benId)?.intents.map((i) => i.name)).toEqual(['Public ladder']);
    await expect(cara.phone.intents.post({ kind: 'need', category: 'food', title: 'Quiet soup', description: '', audience: 'trusted' })).rejects.toThrow('error.noMembersKey');

    // A stranger's client holding the docs: no envelope opens for it, so the sealed post stays a box.
    const stranger = createIdentity();
    const community = ana.phone.docs.community!.doc()!;
    const members = community.members;
    const trust = communityContext([], [ana.phone.session.state.state.me!.agentId], community.thresholds, 'steward');
    const { keyring } = buildKeyring(stranger, 'members', Object.values(community.audienceKeys ?? {}), (id) => members[id]?.profile, trust.isSteward);
    expect(keyring.size).toBe(0);
    expect(openSealedIntents(feed, keyring)).toMatchObject({ intents: [], unreadable: 1, rejected: [] });
  });

  it('Scenario: editing and withdrawing a members-only post keeps it sealed', async () => {
    const { ana, ben } = await suite.founderAndNewcomer();
    await until(() => ben.phone.membersKey.state.state.epochs.length > 0, "Ben's phone holds the members' key");
    const post = await ben.phone.intents.post({ kind: 'need', category: 'food', title: 'Baby formula', description: '', audience: 'trusted' });
    await ben.phone.intents.edit(post, { kind: 'need', category: 'food', title: 'Baby formula, 2 tins', description: '', audience: 'trusted' });
    await until(() => names(ana.phone.board.state.state.intents).includes('Baby formula, 2 tins'), 'Ana lists the edit');
    expect(names(ana.phone.board.state.state.intents)).not.toContain('Baby formula');
    const edited = ana.phone.board.state.state.intents.find((i) => i.name === 'Baby formula, 2 tins')!;
    await ben.phone.intents.withdraw(edited);
    await until(() => !names(ana.phone.board.state.state.intents).includes('Baby formula, 2 tins'), 'the withdrawal reaches Ana');
    expect(JSON.stringify(ben.phone.docs.feed!.doc())).not.toContain('formula');
  });

  it('Scenario: a sealed post opened once is not opened again at the next start', async () => {
    // Every signature check is counted once the phone restarts (the relay's native ed25519: same answers as tweetnacl, faster).
    const native = nodeSignatureCheck();
    const checked: string[] = [];
    let counting = false;
    useSignatureCheck((m, sig, pk) => (counting && checked.push(utf8.decode(m)), native(m, sig, pk)));
    try {
      const { repo, ana, ben, benId } = await suite.founderAndNewcomer();
      await until(() => ben.phone.membersKey.state.state.epochs.length > 0, "Ben's phone holds the members' key");
      const coat = await ben.phone.intents.post({ kind: 'offer', category: 'tools', title: 'Warm coat size M', description: '', audience: 'trusted' });
      await ben.phone.intents.post({ kind: 'offer', category: 'tools', title: 'Quiet room', description: '', audience: 'trusted' });
      await until(() => ['Quiet room', 'Warm coat size M'].every((n) => names(ana.phone.board.state.state.intents).includes(n)), 'Ana lists both');
      // Ana's index keeps them sealed under her data key, with the entry each was opened from (also sealed).
      const rows = await ana.local.intents.byAuthor(benId);
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.record === null && r.sealed instanceof Uint8Array && r.opened instanceof Uint8Array)).toBe(true);
      expect(JSON.stringify(rows.map((r) => [r.key, r.kind, r.status, r.category, r.area]))).not.toMatch(/coat|room|tools/i);

      // Ana's phone starts again from the same storage, with nothing in memory (no signature known good).
      ana.phone.stop();
      forgetGoodSignatures();
      counting = true;
      const again = suite.phone(repo, ana.local);
      await again.phone.boot();
      // The list paints from the index, and the feed read takes the posts from the index rows.
      expect(names(again.phone.board.state.state.intents)).toEqual(['Quiet room', 'Warm coat size M']);
      await until(() => again.phone.membersKey.keysKnown && again.phone.community.views.get(benId)?.intents.length === 2, "the restarted phone reads Ben's sealed posts");
      expect(checked.filter((t) => t.includes('Warm coat') || t.includes('Quiet room'))).toEqual([]);

      // Only what changed is opened: Ben edits one post.
      await ben.phone.intents.edit(coat, { kind: 'offer', category: 'tools', title: 'Warm coat size L', description: '', audience: 'trusted' });
      await until(() => names(again.phone.board.state.state.intents).includes('Warm coat size L'), 'the edit reaches the restarted phone');
      expect(checked.filter((t) => t.includes('Quiet room'))).toEqual([]);
      expect(checked.some((t) => t.includes('Warm coat size L'))).toBe(true);
    } finally {
      useSignatureCheck(undefined);
    }
  });
});
