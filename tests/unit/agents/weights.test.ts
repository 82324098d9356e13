/**
 * Organisers' agent weights: a steward-signed community setting (`agentWeights`), bounds-checked like
 * every setting, that the agents runner lays over each agent's settings — so it changes how that agent
 * ranks, and nothing else.
 */
import * as Automerge from '@automerge/automerge';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runAgents } from '../../../agents/index.ts';
import { AGENT_WEIGHTS, weightPercents, weightSettings } from '../../../agents/weights.ts';
import { AGENT_NAMES, type AgentInput } from '../../../agents/types.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { agentSettingId } from '../../../src/core/model/agent-setting-id.ts';
import { newCommunityDoc } from '../../../src/core/model/community.ts';
import { createFounding, createSettingAs } from '../../../src/core/model/community-records.ts';
import { defaultSettings, settingProblem } from '../../../src/core/model/community-settings.ts';
import { readCommunity } from '../../../src/core/model/read-community.ts';
import { COMMUNITY_MAPS } from '../../../src/core/model/restore.ts';
import type { CommunityDoc } from '../../../src/core/model/types.ts';
import { SignedHistory } from '../../../src/core/sync/signed-history.ts';
import { DAY } from '../../../agents/lib/time.ts';
import { COMMUNITY, NOW, makeInput, membersOf, need, offer } from '../../helpers/agents/world.ts';

const MATCH = agentSettingId('MutualAidMatchmaker');

describe('agent weights are a bounds-checked community setting', () => {
  it('Scenario: weights from 0 to 100 per part are accepted; out of range, fractional, all zero or oversized are refused', () => {
    expect(settingProblem('agentWeights', { [MATCH]: { category: 100, location: 0, time: 10, quantity: 5 } })).toBeNull();
    expect(settingProblem('agentWeights', {})).toBeNull();
    for (const n of [101, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '50', null]) expect(settingProblem('agentWeights', { [MATCH]: { category: n } }), String(n)).toBe('setting.badWeight');
    expect(settingProblem('agentWeights', { [MATCH]: { category: 0, location: 0 } })).toBe('setting.allWeightsZero');
    expect(settingProblem('agentWeights', { [MATCH]: {} })).toBe('setting.badSize');
    expect(settingProblem('agentWeights', { [MATCH]: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`p${'x'.repeat(i)}`, 1])) })).toBe('setting.badSize');
    expect(settingProblem('agentWeights', Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`a${i}`, { x: 1 }])))).toBe('setting.badSize');
    expect(settingProblem('agentWeights', { 'Not An Id': { x: 1 } })).toBe('setting.badEntry');
    expect(settingProblem('agentWeights', { [MATCH]: { 'constructor!': 1 } })).toBe('setting.badEntry');
    expect(settingProblem('agentWeights', [1, 2])).toBe('setting.badSize');
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const p = settingProblem('agentWeights', v);
        expect(p === null || typeof p === 'string').toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('Scenario: an organiser\'s signed weights are read back; a non-organiser\'s are ignored', () => {
    const founder = createIdentity();
    const stranger = createIdentity();
    const founding = createFounding(founder.signSecretKey, founder.agentId, 'c1', defaultSettings('Town'), NOW);
    const base = newCommunityDoc('c1', 'Town', '', NOW, founding);
    const chosen = { [MATCH]: { category: 10, location: 90, time: 0, quantity: 0 } };
    const doc = Automerge.from(JSON.parse(JSON.stringify(base)) as Record<string, unknown>) as unknown as Automerge.Doc<CommunityDoc>;
    const withRecords = Automerge.change(doc, (d) => {
      d.settings ??= {};
      for (const r of [createSettingAs(stranger, 'c1', 'agentWeights', { [MATCH]: { category: 100 } }, NOW + 1), createSettingAs(founder, 'c1', 'agentWeights', chosen, NOW + 2)]) d.settings[r.id] = JSON.parse(JSON.stringify(r));
    });
    const h = new SignedHistory(COMMUNITY_MAPS);
    h.update(withRecords);
    expect(readCommunity(withRecords, h).settings.agentWeights).toEqual(chosen);
    // A signed record whose value is out of bounds cannot even be made.
    expect(() => createSettingAs(founder, 'c1', 'agentWeights', { [MATCH]: { category: 1000 } }, NOW + 3)).toThrow(RangeError);
  });
});

describe('the agents runner uses the weights', () => {
  /** Tools on both sides: Cai and Dee are in the same area but months apart; Ana and Ben differ in area, not in time. */
  function twoMatches(): AgentInput {
    const members = membersOf({ ana: 'Ana', ben: 'Ben', cai: 'Cai', dee: 'Dee' }, [
      offer('o-ana', 'ana', { name: 'Spare ladder', resourceConformsTo: 'tools', atLocation: 'north', created: NOW - DAY }),
      need('n-ben', 'ben', { name: 'A ladder to borrow', resourceConformsTo: 'tools', atLocation: 'south', created: NOW - DAY }),
      offer('o-cai', 'cai', { name: 'Drill', resourceConformsTo: 'tools', atLocation: 'east', created: NOW - DAY, hasEnd: NOW + DAY }),
      need('n-dee', 'dee', { name: 'A drill', resourceConformsTo: 'tools', atLocation: 'east', created: NOW - DAY, hasBeginning: NOW + 60 * DAY }),
    ]);
    return makeInput(members, { community: COMMUNITY, settings: { minScore: 0 } });
  }
  const run = (inp: AgentInput) => runAgents(inp, new Set(['MutualAidMatchmaker'] as const)).proposals;
  const pair = (inp: AgentInput, subjects: string) => run(inp).find((p) => p.subjects.join(' ') === subjects);

  it('Scenario: weighting time over area changes which match comes first, and touches no other agent', () => {
    const inp = twoMatches();
    expect(run(inp)[0].subjects).toEqual(['o-cai', 'n-dee']); // defaults: same area (30 %) beats fitting dates (20 %)
    const byTime = { MutualAidMatchmaker: weightSettings('MutualAidMatchmaker', { location: 0, time: 100 }) };
    const weighted = run({ ...inp, agentSettings: byTime });
    expect(weighted[0].subjects).not.toEqual(['o-cai', 'n-dee']);
    expect(pair({ ...inp, agentSettings: byTime }, 'o-cai n-dee')!.score).toBeLessThan(weighted[0].score);
    // The share each part carried is what the organisers chose, normalised (category 40 and quantity 10 kept).
    const time = weighted[0].explanation.find((f) => f.key.startsWith('agents.matchmaker.time'));
    expect(time?.weight).toBeCloseTo(100 / (40 + 0 + 100 + 10), 5);
    // Weights for another agent leave the matchmaker as it was.
    const other = { CommonsRouter: weightSettings('CommonsRouter', { fairness: 0, waiting: 100, location: 0 }) };
    expect(run({ ...inp, agentSettings: other })).toEqual(run(inp));
  });

  it('Scenario: every weighted agent lists its parts with defaults in whole percent, and a part left out keeps its default', () => {
    for (const name of AGENT_NAMES) {
      const parts = AGENT_WEIGHTS[name];
      if (!parts) continue;
      const pct = weightPercents(name, undefined);
      for (const [part, d] of Object.entries(parts)) expect(pct[part]).toBe(Math.round(d * 100));
      expect(weightSettings(name, undefined)).toEqual({});
    }
    const s = weightSettings('WorkPartyScheduler', { turnout: 80, bogus: 5 });
    expect(s.weights).toEqual({ turnout: 80, skills: 30, location: 20 });
    expect(s['weight.turnout']).toBe(80);
    expect(s).not.toHaveProperty('weight.bogus');
  });
});
