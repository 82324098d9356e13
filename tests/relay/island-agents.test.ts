import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../src/core/crypto/keys.ts';
import { signRecord } from '../../src/core/crypto/sign.ts';
import { createSettingAs, type SettingRecord } from '../../src/core/model/community-records.ts';
import type { CommunityDoc } from '../../src/core/model/types.ts';
import type { NodePhone } from '../helpers/phone-client.ts';
import { relaySuite } from '../helpers/relay-suite.ts';

// openspec/specs/agents/spec.md — island-wide agents on the relay
const { relay, phone } = relaySuite();

interface Suggestions {
  at: number | null;
  proposals: Array<{ agent: string; kind: string; summary: string; summaryParams: Record<string, unknown>; subjects: string[]; explanation: Array<{ key: string; weight?: number }> }>;
}

async function suggestions(url: string, community: string): Promise<Suggestions> {
  return (await (await fetch(`${url}/api/suggestions?community=${community}`)).json()) as Suggestions;
}

/** The share of the pool's score that "how many people need it" carries, as the hub last proposed it. */
function peopleWeight(s: Suggestions): number | undefined {
  return s.proposals.find((p) => p.agent === 'ConquestOfBread')?.explanation.find((f) => f.key.endsWith('.people'))?.weight;
}

/** Writes records straight into the phone's copy of the community doc, as a modified app could. */
function writeSettings(p: NodePhone, records: unknown[]): void {
  (p.client.docs.community as unknown as { change(fn: (d: CommunityDoc) => void): void }).change((d) => {
    d.settings ??= {};
    for (const r of records) d.settings[(r as SettingRecord).id] = JSON.parse(JSON.stringify(r)) as SettingRecord;
  });
}

describe('island agents', () => {
  it('Scenario: the relay proposes pooling when several members need the same thing, from public records only', async () => {
    const r = await relay('island', ['--agents-interval-ms', '1000']);
    const info = (await (await fetch(`${r.url}/api/info`)).json()) as { communities: Array<{ id: string; url: string }> };
    const { id, url } = info.communities[0];
    const names = ['Ana', 'Beto', 'Carmen', 'Dara'];
    const privateIds: string[] = [];
    for (const [i, name] of names.entries()) {
      const p = phone(r);
      await p.join(name, url as never);
      // Ana, the first member (a steward), holds the members' key from the start: her need is sealed.
      const audience = i === 0 ? 'trusted' : 'public';
      const [rec] = await p.post([{ kind: 'need', category: 'food', title: `Rice for the week (${name})`, description: '', audience }]);
      if (audience !== 'public') privateIds.push(rec.id);
    }
    let s: Suggestions = { at: null, proposals: [] };
    await expect
      .poll(async () => {
        s = (await (await fetch(`${r.url}/api/suggestions?community=${id}`)).json()) as Suggestions;
        return s.proposals.some((p) => p.agent === 'ConquestOfBread');
      }, { timeout: 30_000 })
      .toBe(true);
    const pool = s.proposals.find((p) => p.agent === 'ConquestOfBread')!;
    expect(pool.subjects.length).toBeGreaterThanOrEqual(3);
    // Ana's need is for vouched members only (sealed): the relay never proposes anything about it.
    for (const p of s.proposals) for (const pid of privateIds) expect(p.subjects).not.toContain(pid);
    expect(JSON.stringify(s)).not.toContain('Ana');
  });

  it('Scenario: a hand-over marked given and then undone is no longer counted by the island relay', async () => {
    const r = await relay('island-undo', ['--agents-interval-ms', '1000']);
    const info = (await (await fetch(`${r.url}/api/info`)).json()) as { communities: Array<{ id: string; url: string }> };
    const { id, url } = info.communities[0];
    const ana = phone(r);
    await ana.join('Ana', url as never);
    // A waiting need keeps GiftFlow's summary there even when no hand-over counts.
    const [ladder] = await ana.post([
      { kind: 'offer', category: 'tools', title: 'Ladder', description: '', audience: 'public' },
      { kind: 'need', category: 'food', title: 'Rice', description: '', audience: 'public' },
    ]);
    const flow = async () => (await suggestions(r.url, id)).proposals.find((p) => p.agent === 'GiftFlow' && p.kind === 'flow-summary')?.summaryParams;
    await ana.client.intents.markDone(ladder, '');
    await expect.poll(async () => (await flow())?.handOvers, { timeout: 30_000 }).toBe(1);

    await ana.client.intents.undoDone(ladder);
    // Written after the undo in the same feed: once the relay counts this need, it has read the undo too.
    await ana.post([{ kind: 'need', category: 'food', title: 'Beans', description: '', audience: 'public' }]);
    let after: Record<string, unknown> | undefined;
    await expect
      .poll(async () => {
        after = await flow();
        return after?.waiting;
      }, { timeout: 30_000 })
      .toBe(2);
    expect(after?.handOvers).toBe(0);
  });

  it("Scenario: the community hub's agents follow the organisers' signed switches and weights; a setting signed by someone else, or out of bounds, changes nothing", async () => {
    const r = await relay('island-choice', ['--agents-interval-ms', '1000']);
    const info = (await (await fetch(`${r.url}/api/info`)).json()) as { communities: Array<{ id: string; url: string }> };
    const { id, url } = info.communities[0];
    const ana = phone(r);
    await ana.join('Ana', url as never); // the first member: an organiser
    const beto = phone(r);
    await beto.join('Beto', url as never);
    const carmen = phone(r);
    await carmen.join('Carmen', url as never);
    for (const [p, name] of [[ana, 'Ana'], [beto, 'Beto'], [carmen, 'Carmen']] as const) await p.post([{ kind: 'need', category: 'food', title: `Rice (${name})`, description: '', audience: 'public' }]);
    await expect.poll(async () => peopleWeight(await suggestions(r.url, id)), { timeout: 30_000 }).toBeCloseTo(0.5, 5);

    // Beto is no organiser: his switch-off and weights, dated after anything Ana signs next, would win if
    // they counted; so would Ana's own record whose weights are out of bounds (signed by hand: the app refuses to make one).
    const later = Date.now() + 3_600_000;
    const bad = [
      createSettingAs(beto.me, id, 'agents', ['gift-flow'], later),
      createSettingAs(beto.me, id, 'agentWeights', { 'conquest-of-bread': { people: 0, area: 100, offers: 0 } }, later),
      signRecord<SettingRecord>({ type: 'community-setting', id: 'out-of-bounds', author: ana.me.agentId, community: id, key: 'agentWeights', value: { 'conquest-of-bread': { people: 1000, area: 0, offers: 0 } }, updated: later }, ana.me.signSecretKey),
      createSettingAs(createIdentity(), id, 'agents', ['gift-flow'], later),
    ];
    writeSettings(beto, bad.slice(0, 2));
    writeSettings(ana, bad.slice(2));
    // Ana's phone holds Beto's records before she signs: her change follows them, so the hub has them too.
    await expect.poll(() => Object.keys(ana.client.docs.community!.doc()?.settings ?? {}).filter((k) => bad.some((b) => b.id === k)).length, { timeout: 30_000 }).toBe(bad.length);

    await ana.client.communitySettings.save({ agentWeights: { 'conquest-of-bread': { people: 100, area: 0, offers: 0 } } });
    await expect.poll(async () => peopleWeight(await suggestions(r.url, id)), { timeout: 30_000 }).toBeCloseTo(1, 5);

    // Ana switches the pooling helper off for the community: the hub stops proposing pools.
    await ana.client.communitySettings.save({ agents: ['gift-flow', 'inventory-agent'] });
    const off = Date.now();
    await expect
      .poll(async () => {
        const s = await suggestions(r.url, id);
        return (s.at ?? 0) > off && !s.proposals.some((p) => p.agent === 'ConquestOfBread');
      }, { timeout: 30_000 })
      .toBe(true);
  });
});
