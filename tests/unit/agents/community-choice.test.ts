/**
 * The organisers' choice of agents (switches and weights) as the phone and the community hub both read
 * it (agents/community-choice.ts): from the steward-signed settings only, so a setting nobody with the
 * right signed, or one out of bounds, changes nothing.
 */
import * as Automerge from '@automerge/automerge';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { communityAgentChoice } from '../../../agents/community-choice.ts';
import { runAgents } from '../../../agents/index.ts';
import { AGENT_NAMES, type AgentName } from '../../../agents/types.ts';
import { agentSettingId } from '../../../src/core/model/agent-setting-id.ts';
import { agentsSetting, NO_AGENT, tickedAgents } from '../../../src/core/model/agent-switches.ts';
import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import { newCommunityDoc } from '../../../src/core/model/community.ts';
import { createFounding, createSettingAs, type SettingRecord } from '../../../src/core/model/community-records.ts';
import { defaultSettings } from '../../../src/core/model/community-settings.ts';
import { readCommunity } from '../../../src/core/model/read-community.ts';
import { COMMUNITY_MAPS } from '../../../src/core/model/restore.ts';
import type { CommunityDoc } from '../../../src/core/model/types.ts';
import { SignedHistory } from '../../../src/core/sync/signed-history.ts';
import { makeInput, membersOf, need, NOW } from '../../helpers/agents/world.ts';

/** The island agents a community hub runs (relay/island-agents.ts), and one a phone runs on its own. */
const WANTED: AgentName[] = ['GiftFlow', 'InventoryAgent', 'ConquestOfBread', 'CounterPower', 'Conscientization', 'InsurrectionaryJoy', 'MutualAidMatchmaker'];

function founded(founder: Identity) {
  const founding = createFounding(founder.signSecretKey, founder.agentId, 'c1', defaultSettings('Town'), NOW);
  const base = newCommunityDoc('c1', 'Town', '', NOW, founding);
  return Automerge.from(JSON.parse(JSON.stringify(base)) as Record<string, unknown>) as unknown as Automerge.Doc<CommunityDoc>;
}

function withRecords(doc: Automerge.Doc<CommunityDoc>, records: unknown[]): Automerge.Doc<CommunityDoc> {
  return Automerge.change(doc, (d) => {
    d.settings ??= {};
    for (const [i, r] of records.entries()) d.settings[`r${i}-${Math.random().toString(36).slice(2)}`] = JSON.parse(JSON.stringify(r));
  });
}

function signedSettings(doc: Automerge.Doc<CommunityDoc>) {
  const h = new SignedHistory(COMMUNITY_MAPS);
  h.update(doc);
  return readCommunity(doc, h).settings;
}

/** A steward's record whose value is out of bounds: createSetting refuses to make one, so it is signed by hand, as an attacker could. */
function outOfBounds(who: Identity, key: string, value: unknown, at: number): SettingRecord {
  return signRecord<SettingRecord>({ type: 'community-setting', id: `oob-${key}-${at}`, author: who.agentId, community: 'c1', key: key as never, value, updated: at }, who.signSecretKey);
}

/** Four people need food at once: a pool for ConquestOfBread. */
const POOL = makeInput(membersOf({ a: 'Ana', b: 'Beto', c: 'Cai', d: 'Dee' }, ['a', 'b', 'c', 'd'].map((m) => need(`n-${m}`, m, { name: 'Rice', atLocation: m === 'd' ? 'south' : 'north' }))));
const peopleWeight = (agentSettings: ReturnType<typeof communityAgentChoice>['agentSettings']) =>
  runAgents({ ...POOL, agentSettings }, new Set(['ConquestOfBread'] as const)).proposals[0].explanation.find((f) => f.key.endsWith('.people'))?.weight;

describe('the organisers\' choice of agents', () => {
  it('Scenario: with no signed choice every wanted agent runs with its default weights', () => {
    const founder = createIdentity();
    const choice = communityAgentChoice(signedSettings(founded(founder)), WANTED);
    expect(choice.enabled).toEqual(WANTED);
    expect(choice.agentSettings).toEqual({});
    expect(communityAgentChoice(undefined, WANTED)).toEqual(choice);
    expect(peopleWeight(choice.agentSettings)).toBeCloseTo(0.5, 5);
  });

  it('Scenario: an organiser\'s signed switches and weights change which agents run and how they rank', () => {
    const founder = createIdentity();
    const doc = withRecords(founded(founder), [
      createSettingAs(founder, 'c1', 'agents', ['conquest-of-bread', 'gift-flow'], NOW + 1),
      createSettingAs(founder, 'c1', 'agentWeights', { 'conquest-of-bread': { people: 100, area: 0, offers: 0 } }, NOW + 1),
    ]);
    const choice = communityAgentChoice(signedSettings(doc), WANTED);
    expect(choice.enabled).toEqual(['GiftFlow', 'ConquestOfBread']);
    expect(Object.keys(choice.agentSettings)).toEqual(['ConquestOfBread']);
    expect(peopleWeight(choice.agentSettings)).toBeCloseTo(1, 5);
    // A runner can switch a helper off for itself, never on against the community.
    expect(communityAgentChoice(signedSettings(doc), ['GiftFlow', 'MutualAidMatchmaker']).enabled).toEqual(['GiftFlow']);
  });

  it('Scenario: a switch or weight signed by someone who is not an organiser, unsigned, or out of bounds is ignored', () => {
    const founder = createIdentity();
    const stranger = createIdentity();
    const later = NOW + 60_000; // later than anything valid: each would win if it counted
    const unsigned = { ...createSettingAs(stranger, 'c1', 'agents', ['gift-flow'], later), author: founder.agentId };
    const doc = withRecords(founded(founder), [
      createSettingAs(stranger, 'c1', 'agents', ['gift-flow'], later),
      createSettingAs(stranger, 'c1', 'agentWeights', { 'conquest-of-bread': { people: 0, area: 100, offers: 0 } }, later),
      unsigned,
      { type: 'community-setting', id: 'bare', author: founder.agentId, community: 'c1', key: 'agents', value: ['gift-flow'], updated: later, sig: '' },
      outOfBounds(founder, 'agentWeights', { 'conquest-of-bread': { people: 1000, area: 0, offers: 0 } }, later),
      outOfBounds(founder, 'agentWeights', { 'conquest-of-bread': { people: 0, area: 0, offers: 0 } }, later + 1),
      outOfBounds(founder, 'agents', ['Conquest Of Bread'], later),
    ]);
    const settings = signedSettings(doc);
    expect(settings.agents).toEqual([]);
    expect(settings.agentWeights).toBeUndefined();
    const choice = communityAgentChoice(settings, WANTED);
    expect(choice.enabled).toEqual(WANTED);
    expect(choice.agentSettings).toEqual({});
    expect(peopleWeight(choice.agentSettings)).toBeCloseTo(0.5, 5);
  });
});

describe('the organisers\' helper switches on the settings screen', () => {
  const ALL = AGENT_NAMES.map(agentSettingId);

  it('Scenario: a community whose organisers never chose shows every helper ticked, and what is saved runs exactly the ticked helpers', () => {
    expect(tickedAgents([], ALL)).toEqual(ALL);
    fc.assert(
      fc.property(fc.subarray(ALL), fc.oneof(fc.constant<string[]>([]), fc.subarray(ALL, { minLength: 1 })), (ticked, before) => {
        const saved = agentsSetting(ticked, before, ALL);
        // Every phone and hub reads the saved setting through the one choice function.
        const choice = communityAgentChoice({ agents: saved, agentWeights: {} }, AGENT_NAMES);
        expect(choice.enabled).toEqual(AGENT_NAMES.filter((n) => ticked.includes(agentSettingId(n))));
        // The screen shows again what was ticked; unticking all is not "never chose".
        expect(tickedAgents(saved, ALL)).toEqual(ALL.filter((id) => ticked.includes(id)));
        if (ticked.length === 0) expect(saved).toEqual([NO_AGENT]);
        // Saving another field of a community that never chose keeps it "never chose".
        if (before.length === 0 && ticked.length === ALL.length) expect(saved).toEqual([]);
      }),
    );
  });
});
