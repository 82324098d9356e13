/**
 * Small builders for the tests of the "b" agents: hand-built communities (records are taken as already
 * verified, so signatures are placeholders) and a fast-check world with a random trust gate.
 */
import fc from 'fast-check';
import type { Audience, Commitment, EconomicEvent, Intent, Proposal, Vouch } from '../../../src/core/model/types.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/core/model/types.ts';
import type { DecisionConsent, DecisionDraft, DecisionObjection, DecisionOutcome, DecisionRecord, GovernanceMemberRecords } from '../../../agents/governance-records.ts';
import { DAY } from '../../../agents/lib/time.ts';
import type { Agent, AgentInput, AgentProposal } from '../../../agents/types.ts';
import { member as memberRecords, type MemberSpec } from './communities.ts';

export const NOW = Date.UTC(2026, 5, 10, 12);
export const SIG = 'sig';

export const COMMUNITY: AgentInput['community'] = {
  id: 'riverside',
  name: 'Riverside',
  categories: {
    food: { id: 'food', name: 'Food' },
    tools: { id: 'tools', name: 'Tools' },
    skills: { id: 'skills', name: 'Skills' },
    housing: { id: 'housing', name: 'Housing' },
    bikes: { id: 'bikes', name: 'Bikes' },
  },
  areas: { north: { id: 'north', name: 'North Bank' }, south: { id: 'south', name: 'South Bank' } },
  thresholds: DEFAULT_THRESHOLDS,
};

type IntentInit = Pick<Intent, 'id' | 'author' | 'kind'> & Partial<Intent>;

export function intent(o: IntentInit): Intent {
  return {
    type: 'intent',
    action: 'transfer',
    resourceConformsTo: 'food',
    name: o.id,
    note: '',
    status: 'open',
    audience: 'public',
    created: NOW - DAY,
    updated: o.updated ?? o.created ?? NOW - DAY,
    sig: SIG,
    ...(o.kind === 'offer' ? { provider: o.author } : { receiver: o.author }),
    ...o,
  };
}

export const offer = (id: string, author: string, o: Partial<Intent> = {}): Intent => intent({ id, author, kind: 'offer', ...o });
export const need = (id: string, author: string, o: Partial<Intent> = {}): Intent => intent({ id, author, kind: 'need', ...o });

export function event(id: string, author: string, provider: string, receiver: string, at: number, o: Partial<EconomicEvent> = {}): EconomicEvent {
  return { type: 'event', id, author, sig: SIG, action: 'transfer', provider, receiver, resourceConformsTo: 'food', note: '', hasPointInTime: at, ...o };
}

export function vouch(id: string, from: string, to: string, o: Partial<Vouch> = {}): Vouch {
  return { type: 'vouch', id, author: from, from, to, strength: 3, note: '', created: NOW - 30 * DAY, sig: SIG, ...o };
}

export function response(id: string, author: string, publishes: string): Proposal {
  return { type: 'proposal', id, author, sig: SIG, publishes, note: '', created: NOW - DAY };
}

export function commitment(id: string, author: string, provider: string, receiver: string, o: Partial<Commitment> = {}): Commitment {
  return { type: 'commitment', id, author, sig: SIG, action: 'transfer', provider, receiver, resourceConformsTo: 'food', created: NOW - DAY, ...o };
}

export type MemberInit = Omit<MemberSpec, 'name'> & { decisions?: unknown[] };

/** A member whose records are those given (none unless given), a year in the community unless `joined` says otherwise. */
export function member(agentId: string, name: string, o: MemberInit = {}): GovernanceMemberRecords {
  return { ...memberRecords(agentId, { ...o, name, joined: o.joined ?? NOW - 365 * DAY }), decisions: o.decisions ?? [] };
}

/** Members from records: each record goes to its author's feed. */
export function membersOf(names: Record<string, string>, records: (Intent | EconomicEvent | Vouch | Proposal | Commitment | DecisionRecord)[], joined: Record<string, number> = {}): GovernanceMemberRecords[] {
  return Object.entries(names).map(([id, name]) => {
    const mine = records.filter((r) => r.author === id);
    return member(id, name, {
      joined: joined[id],
      intents: mine.filter((r): r is Intent => r.type === 'intent'),
      events: mine.filter((r): r is EconomicEvent => r.type === 'event'),
      vouches: mine.filter((r): r is Vouch => r.type === 'vouch'),
      proposals: mine.filter((r): r is Proposal => r.type === 'proposal'),
      commitments: mine.filter((r): r is Commitment => r.type === 'commitment'),
      decisions: mine.filter((r) => r.type.startsWith('decision-')),
    });
  });
}

export function makeInput(members: GovernanceMemberRecords[], o: Partial<AgentInput> = {}): AgentInput {
  return { viewer: 'viewer', now: NOW, community: COMMUNITY, members, canSee: () => true, ...o };
}

// Decision records (placeholders for signatures: the reader verifies before agents see them).
export function draft(o: Pick<DecisionDraft, 'id' | 'author'> & Partial<DecisionDraft>): DecisionDraft {
  return {
    type: 'decision-draft',
    decision: o.id,
    audience: 'local',
    title: 'Shared tool shed',
    text: 'Build a tool shed by the garden.',
    created: NOW - 10 * DAY,
    updated: o.created ?? NOW - 10 * DAY,
    discussionEnds: NOW - 3 * DAY,
    sig: SIG,
    ...o,
  };
}

export function objection(o: Pick<DecisionObjection, 'id' | 'author' | 'decision' | 'facilitator'> & Partial<DecisionObjection>): DecisionObjection {
  return { type: 'decision-objection', audience: 'local', round: 1, reason: 'Too close to the river.', created: NOW - DAY, sig: SIG, ...o };
}

export function consent(o: Pick<DecisionConsent, 'id' | 'author' | 'decision' | 'facilitator'> & Partial<DecisionConsent>): DecisionConsent {
  return { type: 'decision-consent', audience: 'local', round: 1, note: '', created: NOW - DAY, sig: SIG, ...o };
}

export function outcome(o: Pick<DecisionOutcome, 'id' | 'author' | 'decision'> & Partial<DecisionOutcome>): DecisionOutcome {
  return { type: 'decision-outcome', audience: 'local', result: 'adopted', round: 1, note: '', created: NOW, sig: SIG, ...o };
}

// ---------------------------------------------------------------------------------------------------
// A random world for the properties: visibility, declining and determinism.

export const PEOPLE = ['viewer', 'ana', 'ben', 'cai', 'dee', 'eli', 'fay', 'gus'] as const;
const AUDIENCES: Audience[] = ['public', 'local', 'trusted', 'private'];
const CATEGORIES = ['food', 'tools', 'skills', 'housing', 'bikes'];
const PHRASES = ['learn bike repair', 'teach bike repair', 'flour', 'rent and landlord trouble', 'heating bill', 'ladder', 'guitar lessons', 'guitar', 'water filter', 'childcare'];

export interface World {
  input: AgentInput;
  /** Record ids the viewer may not see (and that no visible record shares). */
  hiddenIds: Set<string>;
}

const person = fc.constantFrom(...PEOPLE);
/** Times lean to the last two days, so bursts, good weeks and closing rounds happen often enough. */
const at = fc.oneof(fc.integer({ min: NOW - 60 * DAY, max: NOW + DAY }), fc.integer({ min: NOW - 2 * DAY, max: NOW }));

/** Low thresholds that make every agent speak up in small worlds. */
const EAGER = { minGifts: 2, minPeople: 2, minSurge: 1, minWeeks: 1, minNewcomers: 1, quorum: 1, remindHours: 336, waitDays: 0.5, groupSize: 2 };

/** Every record id ends in 'z' after a number, so no id is a substring of another. */
const rid = (prefix: string, k: number) => `${prefix}${k}z`;

const intentArb = (k: number) =>
  fc
    .record({
      author: person,
      kind: fc.constantFrom('offer', 'need') as fc.Arbitrary<'offer' | 'need'>,
      action: fc.constantFrom('transfer', 'use', 'work') as fc.Arbitrary<Intent['action']>,
      category: fc.constantFrom(...CATEGORIES),
      phrase: fc.constantFrom(...PHRASES),
      area: fc.option(fc.constantFrom('north', 'south'), { nil: undefined }),
      created: at,
      status: fc.constantFrom('open', 'open', 'fulfilled', 'withdrawn') as fc.Arbitrary<Intent['status']>,
      audience: fc.constantFrom(...AUDIENCES),
      quantity: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
    })
    .map((r) => {
      const id = rid('i', k);
      return intent({
        id,
        author: r.author,
        kind: r.kind,
        action: r.action,
        resourceConformsTo: r.category,
        name: `${r.phrase} ${id}`,
        status: r.status,
        audience: r.audience,
        created: r.created,
        ...(r.area === undefined ? {} : { atLocation: r.area }),
        ...(r.quantity === undefined ? {} : { resourceQuantity: { hasNumericalValue: r.quantity, hasUnit: 'kg' } }),
      });
    });

const decisionArb = (k: number) =>
  fc
    .record({
      type: fc.constantFrom('decision-draft', 'decision-objection', 'decision-consent', 'decision-outcome'),
      // Few people, the viewer among them, so that the viewer often facilitates or answers.
      author: fc.constantFrom('viewer', 'ana', 'ben'),
      facilitator: fc.constantFrom('viewer', 'ana', 'ben'),
      decision: fc.constantFrom('d1z', 'd2z'),
      audience: fc.constantFrom(...AUDIENCES),
      created: at,
      round: fc.integer({ min: 0, max: 2 }),
      closes: fc.integer({ min: NOW - 2 * DAY, max: NOW + 2 * DAY }),
    })
    .map((r): DecisionRecord => {
      const id = rid('x', k);
      const base = { id, author: r.author, decision: r.decision, audience: r.audience, created: r.created };
      if (r.type === 'decision-draft')
        return draft({ ...base, title: `Decision ${r.decision} ${id}`, discussionEnds: r.created + 3 * DAY, ...(r.round > 0 ? { round: r.round, roundCloses: r.closes } : {}) });
      if (r.type === 'decision-outcome') return outcome({ ...base, round: r.round });
      if (r.type === 'decision-objection') return objection({ ...base, facilitator: r.facilitator, round: Math.max(1, r.round) });
      return consent({ ...base, facilitator: r.facilitator, round: Math.max(1, r.round) });
    });

const indexed = <T>(f: (k: number) => fc.Arbitrary<T>, max: number) =>
  fc.integer({ min: 0, max }).chain((n) => (n === 0 ? fc.constant([] as T[]) : fc.tuple(...Array.from({ length: n }, (_, k) => f(k)))));

/** Decision records of a few decisions in any order, with any mix of facilitators, rounds and times. */
export const decisionsArb: fc.Arbitrary<DecisionRecord[]> = indexed(decisionArb, 24);

export const worldArb: fc.Arbitrary<World> = fc
  .record({
    intents: indexed(intentArb, 50),
    decisions: indexed(decisionArb, 24),
    events: fc.array(fc.record({ author: person, other: person, at, satisfies: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }) }), { maxLength: 30 }),
    vouches: fc.array(fc.tuple(person, person), { maxLength: 12 }),
    responses: fc.array(fc.tuple(person, fc.integer({ min: 0, max: 50 })), { maxLength: 8 }),
    joined: fc.array(fc.integer({ min: NOW - 60 * DAY, max: NOW }), { minLength: PEOPLE.length, maxLength: PEOPLE.length }),
    hidden: fc.uniqueArray(fc.tuple(person, fc.constantFrom(...AUDIENCES)), { maxLength: 16 }),
    eager: fc.boolean(),
  })
  .map((w) => {
    const hidden = new Set(w.hidden.map(([a, aud]) => `${a}|${aud}`));
    const canSee = (a: string, aud: Audience) => !hidden.has(`${a}|${aud}`);
    const records = [
      ...w.intents,
      ...w.decisions,
      ...w.events.map((e, k) => event(rid('e', k), e.author, e.author, e.other, e.at, e.satisfies === undefined ? {} : { satisfies: rid('i', e.satisfies) })),
      ...w.vouches.filter(([a, b]) => a !== b).map(([a, b], k) => vouch(rid('v', k), a, b)),
      ...w.responses.map(([a, i], k) => response(rid('p', k), a, rid('i', i))),
    ];
    const names = Object.fromEntries(PEOPLE.map((p) => [p, `Name-${p}`]));
    const joined = Object.fromEntries(PEOPLE.map((p, k) => [p, w.joined[k]]));
    const members = membersOf(names, records, joined);
    const visible = new Set<string>();
    const invisible = new Set<string>();
    for (const i of w.intents) (canSee(i.author, i.audience) ? visible : invisible).add(i.id);
    for (const d of w.decisions) {
      const set = canSee(d.author, d.audience) ? visible : invisible;
      set.add(d.id);
      // A decision is visible when one of its drafts is.
      if (d.type === 'decision-draft') set.add(d.decision);
    }
    const hiddenIds = new Set([...invisible].filter((id) => !visible.has(id)));
    return { input: makeInput(members, { canSee, ...(w.eager ? { settings: EAGER } : {}) }), hiddenIds };
  });

/** Everything a proposal shows or points at, as one string. */
export const shown = (p: AgentProposal): string => JSON.stringify([p.subjects, p.summary, p.summaryParams, p.explanation]);

/** The same community with every intent and decision record the viewer may not see taken out. */
export function withoutHidden(input: AgentInput): AgentInput {
  const seen = (r: { author: string; audience: Audience }) => input.canSee(r.author, r.audience);
  const members = (input.members as readonly GovernanceMemberRecords[]).map((m) => ({
    ...m,
    intents: m.intents.filter(seen),
    decisions: (m.decisions ?? []).filter((d) => seen(d as DecisionRecord)),
  }));
  return { ...input, members };
}

/** For agents that read only intents and decisions: what the viewer cannot see has no say at all. */
export const hiddenHaveNoSay = (agent: Agent) =>
  fc.property(worldArb, ({ input }) => {
    if (JSON.stringify(agent.run(input)) !== JSON.stringify(agent.run(withoutHidden(input)))) throw new Error('a hidden record changed the output');
  });

/** The three properties every agent keeps; returns a fast-check property for one agent. */
export function agentProperties(agent: Agent) {
  return {
    visibility: fc.property(worldArb, ({ input, hiddenIds }) => {
      for (const p of agent.run(input)) {
        const text = shown(p);
        for (const id of hiddenIds) if (text.includes(id)) throw new Error(`${p.kind} shows hidden ${id}: ${text}`);
        for (const s of p.subjects) if ((PEOPLE as readonly string[]).includes(s) && !input.canSee(s, 'local')) throw new Error(`hidden member ${s}`);
      }
    }),
    declined: fc.property(worldArb, fc.array(fc.boolean(), { maxLength: 40 }), ({ input }, picks) => {
      const first = agent.run(input);
      const declined = new Set(first.filter((_, k) => picks[k]).map((p) => p.id));
      const again = agent.run({ ...input, declined });
      if (again.some((p) => declined.has(p.id))) throw new Error('a declined proposal came back');
      if (again.length !== first.length - declined.size) throw new Error('declining one proposal changed others');
    }),
    budget: fc.property(worldArb, fc.nat({ max: 400 }), ({ input }, small) => {
      const full = JSON.stringify(agent.run(input));
      if (JSON.stringify(agent.run({ ...input, budget: 1e9 })) !== full) throw new Error('an ample budget changed the output');
      const cut = agent.run({ ...input, budget: small });
      if (cut.some((p) => p.expires <= input.now || !(p.score >= 0 && p.score <= 1))) throw new Error('a cut run returned a bad proposal');
    }),
    orderFree: fc.property(worldArb, ({ input }) => {
      const reversed = [...input.members].reverse().map((m) => ({
        ...m,
        intents: [...m.intents].reverse(),
        events: [...m.events].reverse(),
        vouches: [...m.vouches].reverse(),
        proposals: [...m.proposals].reverse(),
        commitments: [...m.commitments].reverse(),
        decisions: [...((m as GovernanceMemberRecords).decisions ?? [])].reverse(),
      }));
      if (JSON.stringify(agent.run(input)) !== JSON.stringify(agent.run({ ...input, members: reversed }))) throw new Error('record order changed the output');
    }),
    deterministic: fc.property(worldArb, ({ input }) => {
      const a = agent.run(input);
      const b = agent.run({ ...input, members: structuredClone(input.members) as typeof input.members });
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('same input, different output');
    }),
  };
}
