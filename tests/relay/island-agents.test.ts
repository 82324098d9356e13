import { describe, expect, it } from 'vitest';
import { relaySuite } from '../helpers/relay-suite.ts';

// openspec/specs/agents/spec.md — island-wide agents on the relay
const { relay, phone } = relaySuite();

interface Suggestions {
  at: number | null;
  proposals: Array<{ agent: string; kind: string; summary: string; subjects: string[] }>;
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
});
