/**
 * Properties of the matchmaker, perishables, work-party, commons-router, inventory, gift-flow and
 * permaculture agents over generated communities, random trust gates, viewers, "now", declines and
 * budgets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Audience, Intent } from '../../../src/core/model/types.ts';
import { commonsRouter } from '../../../agents/commons-router.ts';
import { giftFlow } from '../../../agents/gift-flow.ts';
import { inventoryAgent } from '../../../agents/inventory.ts';
import { matchmaker } from '../../../agents/matchmaker.ts';
import { perishables } from '../../../agents/perishables.ts';
import { permaculture } from '../../../agents/permaculture.ts';
import { DAY } from '../../../agents/lib/time.ts';
import { NOW, gateHiding, generate, input, response } from '../../helpers/agents/communities.ts';
import type { Agent, AgentInput, AgentProposal, MemberRecords } from '../../../agents/types.ts';
import { workParty } from '../../../agents/work-party.ts';

const AGENTS: Agent[] = [matchmaker, perishables, workParty, commonsRouter, inventoryAgent, giftFlow, permaculture];
const AUDIENCES: Audience[] = ['public', 'local', 'trusted', 'private'];

const world = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  members: fc.integer({ min: 2, max: 10 }),
  offers: fc.integer({ min: 0, max: 30 }),
  needs: fc.integer({ min: 0, max: 30 }),
  events: fc.integer({ min: 0, max: 20 }),
  responses: fc.integer({ min: 0, max: 5 }),
  hidden: fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom(...AUDIENCES)), { maxLength: 12 }),
  viewer: fc.integer({ min: 0, max: 9 }),
  nowShiftDays: fc.integer({ min: -3, max: 200 }),
});
type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

/** A generated community, a few responses to needs, a random gate and viewer, and a shifted "now". */
function build(w: World): AgentInput {
  const members = generate(w.seed, { members: w.members, offers: w.offers, needs: w.needs, events: w.events });
  const needs = members.flatMap((m) => m.intents.filter((i) => i.kind === 'need'));
  for (let k = 0; k < w.responses && k < needs.length; k++) {
    const by = members[(k * 7) % members.length];
    (by.proposals as unknown[]).push(response(by.agentId, `r${k}`, needs[(k * 5) % needs.length].id));
  }
  return input(members, {
    viewer: `m${w.viewer % w.members}`,
    now: NOW + w.nowShiftDays * DAY,
    canSee: gateHiding(w.hidden.map(([m, a]) => [`m${m}`, a] as const)),
  });
}

/** The same community with every record the viewer may not see taken out entirely. */
function stripHidden(inp: AgentInput): AgentInput {
  const intents = new Map<string, Intent>();
  for (const m of inp.members) for (const i of m.intents) intents.set(i.id, i);
  const aud = (id: string | undefined): Audience => (id !== undefined && intents.get(id)?.audience) || 'trusted';
  const members: MemberRecords[] = inp.members.map((m) => ({
    ...m,
    intents: m.intents.filter((i) => inp.canSee(i.author, i.audience)),
    events: m.events.filter((e) => inp.canSee(e.author, aud(e.satisfies))),
    proposals: m.proposals.filter((p) => inp.canSee(p.author, aud(p.publishes))),
    commitments: m.commitments.filter((c) => inp.canSee(c.author, aud(c.satisfies))),
  }));
  return { ...inp, members };
}

function wellFormed(inp: AgentInput, out: AgentProposal[]): void {
  expect(new Set(out.map((p) => p.id)).size).toBe(out.length);
  for (let k = 0; k < out.length; k++) {
    const p = out[k];
    expect(p.score).toBeGreaterThanOrEqual(0);
    expect(p.score).toBeLessThanOrEqual(1);
    expect(p.expires).toBeGreaterThan(inp.now);
    if (k > 0) expect(out[k - 1].score).toBeGreaterThanOrEqual(p.score);
    expect(p.explanation.length).toBeGreaterThan(0);
    for (const f of p.explanation) {
      expect(f.key.startsWith('agents.')).toBe(true);
      expect(f.text).not.toMatch(/\{\w+\}/);
      if (f.weight !== undefined) expect(f.weight >= 0 && f.weight <= 1).toBe(true);
    }
    expect(p.summary).not.toMatch(/\{\w+\}/);
  }
}

const RUNS = { numRuns: 60 };

describe('agent properties (matchmaker, perishables, work-party, commons-router, inventory, gift-flow, permaculture)', () => {
  it('Scenario: proposals never reference a record the viewer cannot see (no subject is a hidden intent)', () => {
    fc.assert(
      fc.property(world, (w) => {
        const inp = build(w);
        const hidden = new Set(inp.members.flatMap((m) => m.intents.filter((i) => !inp.canSee(i.author, i.audience)).map((i) => i.id)));
        for (const agent of AGENTS) for (const p of agent.run(inp)) for (const s of p.subjects) expect(hidden.has(s), `${agent.name} ${s}`).toBe(false);
      }),
      RUNS,
    );
  });

  it('Scenario: what the viewer cannot see changes nothing — removing every hidden record gives the same proposals', () => {
    fc.assert(
      fc.property(world, (w) => {
        const inp = build(w);
        const bare = stripHidden(inp);
        for (const agent of AGENTS) expect(agent.run(bare), agent.name).toEqual(agent.run(inp));
      }),
      RUNS,
    );
  });

  it('Scenario: a declined proposal is never returned again', () => {
    fc.assert(
      fc.property(world, fc.array(fc.nat(), { maxLength: 10 }), (w, picks) => {
        const inp = build(w);
        for (const agent of AGENTS) {
          const first = agent.run(inp);
          if (first.length === 0) continue;
          const declined = new Set(picks.map((k) => first[k % first.length].id));
          for (const p of agent.run({ ...inp, declined })) expect(declined.has(p.id)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('Scenario: the same input and "now" give identical proposals, whatever order the feeds arrived in', () => {
    fc.assert(
      fc.property(world, (w) => {
        const inp = build(w);
        const reversed = { ...inp, members: [...inp.members].reverse().map((m) => ({ ...m, intents: [...m.intents].reverse(), events: [...m.events].reverse() })) };
        for (const agent of AGENTS) {
          const a = agent.run(inp);
          expect(agent.run(inp), agent.name).toEqual(a);
          expect(agent.run(reversed), agent.name).toEqual(a);
        }
      }),
      RUNS,
    );
  });

  it('Scenario: proposals are well-formed under any budget, and a zero budget proposes nothing', () => {
    fc.assert(
      fc.property(world, fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }), (w, budget) => {
        const inp = { ...build(w), ...(budget === undefined ? {} : { budget }) };
        for (const agent of AGENTS) {
          wellFormed(inp, agent.run(inp));
          expect(agent.run({ ...inp, budget: 0 }), agent.name).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('Scenario: settings from the shared doc that are nonsense never crash an agent', () => {
    const junk = fc.dictionary(
      fc.constantFrom('weights', 'minScore', 'candidatesPerOffer', 'perOffer', 'perNeed', 'maxProposals', 'horizonHours', 'slotHours', 'hemisphere', 'latitude', 'plantCategories', 'generalCategories', 'maxNudges', 'minNeeds'),
      fc.oneof(fc.anything(), fc.double(), fc.record({ category: fc.double(), location: fc.double(), time: fc.double(), quantity: fc.double() })),
    );
    fc.assert(
      fc.property(world, junk, (w, settings) => {
        const inp = { ...build(w), settings };
        for (const agent of AGENTS) wellFormed(inp, agent.run(inp));
      }),
      { numRuns: 40 },
    );
  });
});
