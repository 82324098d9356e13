/**
 * Hand-built and generated communities for agent tests and the agent benchmark. Records are plain
 * objects typed as the model's records with a placeholder `sig`: agents receive already-verified
 * records, so real signatures would only slow the 10,000-record fixtures down without testing anything.
 */
import type { Audience, CommunityDoc, Commitment, EconomicEvent, Intent, Proposal, Vouch } from '../../../src/core/model/types.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/core/model/types.ts';
import { DAY, HOUR } from '../../../agents/lib/time.ts';
import { rng } from '../prng.ts';
import type { AgentInput, MemberRecords } from '../../../agents/types.ts';

/** A fixed "now": Friday 15 May 2026, noon UTC (late spring in the north). */
export const NOW = Date.UTC(2026, 4, 15, 12);

export const CATEGORIES: CommunityDoc['categories'] = {
  food: { id: 'food', name: 'Food', perishable: true },
  tools: { id: 'tools', name: 'Tools' },
  clothing: { id: 'clothing', name: 'Clothing' },
  housing: { id: 'housing', name: 'Housing' },
  transport: { id: 'transport', name: 'Transport' },
  skills: { id: 'skills', name: 'Skills & labour' },
  medical: { id: 'medical', name: 'Medical supplies' },
  seeds: { id: 'seeds', name: 'Seeds & plants' },
  garden: { id: 'garden', name: 'Garden' },
};
export const AREAS: CommunityDoc['areas'] = Object.fromEntries(
  ['north', 'south', 'east', 'west', 'centre'].map((a) => [a, { id: a, name: a }]),
);

export function community(): AgentInput['community'] {
  return { id: 'c1', name: 'Riverside', categories: CATEGORIES, areas: AREAS, thresholds: { ...DEFAULT_THRESHOLDS } };
}

export type IntentSpec = Partial<Omit<Intent, 'type' | 'author' | 'sig'>> & { id: string; kind: Intent['kind'] };

export function intent(author: string, s: IntentSpec): Intent {
  const created = s.created ?? NOW - DAY;
  return {
    type: 'intent',
    author,
    sig: 'unsigned-fixture',
    action: 'transfer',
    resourceConformsTo: 'other',
    name: s.id,
    note: '',
    status: 'open',
    audience: 'public',
    updated: created,
    ...(s.kind === 'offer' ? { provider: author } : { receiver: author }),
    ...s,
    created,
  };
}

export function event(author: string, e: Partial<Omit<EconomicEvent, 'type' | 'author' | 'sig'>> & { id: string }): EconomicEvent {
  return { type: 'event', author, sig: 'unsigned-fixture', action: 'transfer', resourceConformsTo: 'other', note: '', hasPointInTime: NOW - DAY, ...e };
}

export function response(author: string, id: string, publishes: string): Proposal {
  return { type: 'proposal', author, sig: 'unsigned-fixture', id, publishes, note: '', created: NOW - HOUR };
}

export function commitment(author: string, c: Partial<Omit<Commitment, 'type' | 'author' | 'sig'>> & { id: string; provider: string; receiver: string }): Commitment {
  return { type: 'commitment', author, sig: 'unsigned-fixture', action: 'transfer', resourceConformsTo: 'other', created: NOW - HOUR, ...c };
}

export interface MemberSpec {
  name?: string;
  joined?: number;
  intents?: Intent[];
  events?: EconomicEvent[];
  proposals?: Proposal[];
  commitments?: Commitment[];
  vouches?: Vouch[];
}

export function member(agentId: string, s: MemberSpec = {}): MemberRecords {
  return {
    agentId,
    name: s.name ?? agentId,
    joined: s.joined ?? NOW - 100 * DAY,
    intents: s.intents ?? [],
    events: s.events ?? [],
    proposals: s.proposals ?? [],
    commitments: s.commitments ?? [],
    vouches: s.vouches ?? [],
  };
}

export function input(members: MemberRecords[], extra: Partial<AgentInput> = {}): AgentInput {
  return { viewer: members[0]?.agentId ?? 'viewer', now: NOW, community: community(), members, canSee: () => true, ...extra };
}

/** A trust gate that hides the listed (author, audience) pairs and shows everything else. */
export function gateHiding(hidden: Iterable<readonly [string, Audience]>): AgentInput['canSee'] {
  const set = new Set([...hidden].map(([a, aud]) => `${a}\u0000${aud}`));
  return (author, audience) => !set.has(`${author}\u0000${audience}`);
}

const NAMES = ['tomatoes', 'ladder', 'bread', 'drill', 'winter coat', 'ride to clinic', 'bandages', 'basil seedlings', 'room for a night', 'help digging', 'bean seeds', 'wheelbarrow'];
const CATS: Record<string, string> = {
  tomatoes: 'food', ladder: 'tools', bread: 'food', drill: 'tools', 'winter coat': 'clothing', 'ride to clinic': 'transport',
  bandages: 'medical', 'basil seedlings': 'seeds', 'room for a night': 'housing', 'help digging': 'skills', 'bean seeds': 'seeds', wheelbarrow: 'tools',
};
const AUDIENCES: Audience[] = ['public', 'public', 'local', 'trusted', 'private'];
const ACTIONS: Intent['action'][] = ['transfer', 'transfer', 'use', 'work'];

export interface GenOptions {
  members: number;
  offers: number;
  needs: number;
  events?: number;
  /** Give some intents a quantity, window, area and non-public audience. */
  varied?: boolean;
}

/** A deterministic community of the given size (seeded PRNG), for property tests and the benchmark. */
export function generate(seed: number, o: GenOptions): MemberRecords[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const areas = Object.keys(AREAS);
  const ms = Array.from({ length: o.members }, (_, k) => ({
    agentId: `m${k}`,
    name: `Member ${k}`,
    joined: NOW - Math.floor(r() * 400) * DAY,
    intents: [] as Intent[],
    events: [] as EconomicEvent[],
    proposals: [] as Proposal[],
    commitments: [] as Commitment[],
    vouches: [] as Vouch[],
  }));
  const addIntent = (kind: Intent['kind'], k: number) => {
    const m = pick(ms);
    const title = pick(NAMES);
    const created = NOW - Math.floor(r() * 30 * DAY);
    const s: IntentSpec = { id: `${kind[0]}${k}`, kind, name: title, resourceConformsTo: CATS[title], created, action: pick(ACTIONS) };
    if (r() < 0.8) s.atLocation = pick(areas);
    if (o.varied !== false) {
      if (r() < 0.5) s.resourceQuantity = { hasNumericalValue: 1 + Math.floor(r() * 10), hasUnit: pick(['kg', 'each', 'people']) };
      if (r() < 0.4) s.hasBeginning = NOW + Math.floor((r() - 0.3) * 10 * DAY);
      if (r() < 0.4) s.hasEnd = (s.hasBeginning ?? NOW) + Math.floor(r() * 10 * DAY) + HOUR;
      if (r() < 0.3) s.expires = NOW + Math.floor(r() * 5 * DAY) + HOUR;
      s.audience = pick(AUDIENCES);
    }
    m.intents.push(intent(m.agentId, s));
  };
  for (let k = 0; k < o.offers; k++) addIntent('offer', k);
  for (let k = 0; k < o.needs; k++) addIntent('need', k);
  const all = ms.flatMap((m) => m.intents);
  for (let k = 0; k < (o.events ?? 0) && all.length > 0; k++) {
    const i = pick(all);
    const other = pick(ms).agentId;
    const giver = i.kind === 'offer' ? i.author : other;
    const taker = i.kind === 'need' ? i.author : other;
    const author = ms.find((m) => m.agentId === i.author);
    author?.events.push(
      event(i.author, { id: `e${k}`, action: i.action, provider: giver, receiver: taker, resourceConformsTo: i.resourceConformsTo, satisfies: i.id, hasPointInTime: NOW - Math.floor(r() * 60 * DAY) }),
    );
  }
  return ms;
}
