import type { AutomergeUrl, DocHandle } from '@automerge/automerge-repo';
import { describe, expect, it } from 'vitest';
import { createFounding, createSetting } from '../../src/core/model/community-records.ts';
import { defaultSettings } from '../../src/core/model/community-settings.ts';
import { readCommunity } from '../../src/core/model/read-community.ts';
import { createRetirement, retirementDigest } from '../../src/core/model/retirement.ts';
import type { CommunityDoc } from '../../src/core/model/types.ts';
import { decodeInvite } from '../../src/core/protocol/invite.ts';
import { secretKeyIn } from '../helpers/change-set-bundles.ts';
import type { NodePhone } from '../helpers/phone-client.ts';
import { relaySuite } from '../helpers/relay-suite.ts';

const t = relaySuite();

const rejectedAsRetired = (p: NodePhone) => p.community().problems.filter((x) => x.reason === 'setting.founderRetired').length;

describe('a founding hub retires its founder rights', () => {
  // openspec/specs/write-rights/spec.md
  it('Scenario: a relay retires once its first organiser is appointed, and its key then changes nothing', async () => {
    const disk = await t.presetKey(); // the hub's disk: what a thief takes away
    const a = await t.relay('retires', [], disk.dataDir);
    const info = (await (await fetch(`${a.url}/api/info`)).json()) as { relay: string; communities: Array<{ id: string; url: AutomergeUrl; name: string }> };
    const { id: community, url, name } = info.communities[0]!;
    const alice = await t.member(a, 'Alice');
    await expect.poll(() => alice.community().retired, { timeout: 20_000 }).toBe(true);
    expect(alice.community().stewards).toEqual([alice.me.agentId]);
    const retirements = Object.values((alice.client.docs.community as unknown as DocHandle<CommunityDoc>).doc().retirements ?? {});
    expect(retirements.map((r) => r.author)).toEqual([info.relay]);
    // The invite Alice's phone shows names that retirement, so a newcomer holds to it too.
    const invite = alice.client.community.state.state.invite;
    expect(decodeInvite(invite)?.retirement).toBe(retirementDigest(retirements[0]!));

    // Someone takes the hub's disk: its key signs a new organiser and a new name, dated before the
    // retirement and after it, a founding record dated earlier, and a retirement dated earlier that lists
    // them all. Their own phone on the Wi-Fi writes them into the community doc.
    const key = await secretKeyIn(disk.dataDir);
    const mallory = t.phone(a);
    await mallory.join('Mallory', url, { invite });
    const thief = mallory.me.agentId;
    const early = createSetting(key, info.relay, community, 'stewards', [thief], retirements[0]!.created - 1);
    const late = createSetting(key, info.relay, community, 'name', 'Taken', Date.now());
    const refounded = createFounding(key, info.relay, community, { ...defaultSettings('Taken'), stewards: [thief], relays: [info.relay] }, 1);
    const second = createRetirement(key, info.relay, community, [refounded.sig, early.sig, late.sig], 2);
    const handle = mallory.client.docs.community as unknown as DocHandle<CommunityDoc>;
    handle.change((d) => {
      d.settings![early.id] = early;
      d.settings![late.id] = late;
      d.founding = refounded;
      d.retirements![second.id] = second;
    });
    // Without a pin, a reader would take the earlier retirement and with it the thief's community.
    const taken = readCommunity(handle.doc(), undefined, info.relay);
    expect(taken.settings.name).toBe('Taken');
    expect(taken.stewards).toContain(thief);

    // Alice's phone, and Bea who joins later with Alice's invite, keep the community as it was.
    await expect.poll(() => rejectedAsRetired(alice), { timeout: 20_000 }).toBe(2);
    const bea = t.phone(a);
    await bea.join('Bea', url, { invite });
    await expect.poll(() => rejectedAsRetired(bea), { timeout: 20_000 }).toBe(2);
    for (const p of [alice, bea]) {
      expect(p.community().settings.name).toBe(name);
      expect(p.community().stewards).toEqual([alice.me.agentId]);
      expect(p.community().founder).toBe(info.relay);
      expect(p.client.community.state.state.communityName).toBe(name);
    }
    // The hub itself holds to its own retirement: it serves the community under its name.
    const after = (await (await fetch(`${a.url}/api/info`)).json()) as { communities: Array<{ name: string; retirement?: string }> };
    expect(after.communities[0]!.name).toBe(name);
    // …and names it to a phone that joins with no invite (the first one, or on an open island).
    expect(after.communities[0]!.retirement).toBe(retirementDigest(retirements[0]!));
    expect(a.child.exitCode).toBeNull();
  });
});
