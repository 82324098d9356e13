/**
 * RadicalInclusion: notices members who may be left out and proposes who might reach out — kindly, with
 * no blame on anyone. Two kinds:
 * - 'reach-out-need': an open need that has waited `waitDays` with no response (no proposal, commitment
 *   or event refers to it). Who might reach out: members with an open offer in its category (3 points),
 *   who offered it before (2), who vouched for the person (2), who post in the same area (1); top 3.
 *   Score = wait × w.wait + helpers × w.helpers + unvouched × w.unvouched, with wait = min(1, waited /
 *   (3·waitDays)), helpers = min(1, helpers / 3), unvouched = 1 when nobody has vouched for the person.
 * - 'welcome-newcomer': a member who joined between `settleDays` and `newcomerDays` ago and whom nobody
 *   has vouched for yet. Who might say hello: members trusted enough to vouch (trust score from the
 *   viewer's position ≥ the community's vouch threshold) ranked by shared area (2) and past dealings (2),
 *   then trust; top 3. Score = days × w.days + helpers × w.helpers + active × w.active, with days =
 *   min(1, days since joining / 14), active = 1 when the newcomer has posted.
 * Settings: `waitDays` 5 (0.5..365), `newcomerDays` 30 (1..365), `settleDays` 2 (0..30), `weight.wait`
 * 0.6, `weight.helpers` 0.25, `weight.unvouched` 0.15, `weight.days` 0.5, `weight.active` 0.2 (the
 * newcomer's helpers weight is `weight.newcomerHelpers`, 0.3).
 */
import type { Intent, TrustThresholds, Vouch } from '../src/core/model/types.ts';
import { DEFAULT_THRESHOLDS } from '../src/core/model/types.ts';
import { buildGraph, checkThresholds, computeScores, type TrustScores } from '../src/core/trust/index.ts';
import { Budget } from './lib/budget.ts';
import { categoryName } from './lib/community.ts';
import { memberNames } from './lib/names.ts';
import { cmp } from './lib/order.ts';
import { fact, finish, propose, round2, unique } from './lib/proposal.ts';
import { realSetting, weightsFromKeys } from './lib/settings.ts';
import { listWords } from './lib/text.ts';
import { word } from './lib/words.ts';
import { DAY } from './lib/time.ts';
import { audienceLookup, seenIntents, visibleIntents } from './lib/visibility.ts';
import type { Agent, AgentInput, AgentProposal, Fact, MemberRecords } from './types.ts';

const K = 'agents.inclusion';
export const WELCOME_DEFAULT_WEIGHTS = { days: 0.5, newcomerHelpers: 0.3, active: 0.2 };
export const REACH_OUT_DEFAULT_WEIGHTS = { wait: 0.6, helpers: 0.25, unvouched: 0.15 };
const MAX_HELPERS = 3;

interface World {
  names: Map<string, string>;
  /** Valid, unexpired vouches by recipient. */
  vouchedBy: Map<string, Vouch[]>;
  /** Intent ids someone has responded to (proposal, commitment or event). */
  answered: Set<string>;
  open: Intent[];
  seen: Intent[];
  /** Areas each member posts in (visible intents only). */
  areas: Map<string, Set<string>>;
  /** Members by area they post in, and offerers by category (open now; earlier, not open). */
  areaMembers: Map<string, Set<string>>;
  openOfferers: Map<string, Set<string>>;
  pastOfferers: Map<string, Set<string>>;
  bases: Map<string, Base>;
  /** Who has dealt with whom (commitments and events the viewer may see); filled on first use. */
  dealings?: Map<string, Set<string>>;
}

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  const s = index.get(key);
  if (s) s.add(id);
  else index.set(key, new Set([id]));
}

function world(input: AgentInput): World {
  const vouchedBy = new Map<string, Vouch[]>();
  const answered = new Set<string>();
  const audienceOf = audienceLookup(input);
  for (const m of input.members) {
    for (const v of m.vouches) {
      if (v.author !== m.agentId || v.from !== v.author || v.to === v.from) continue;
      if (v.expires !== undefined && v.expires <= input.now) continue;
      const list = vouchedBy.get(v.to);
      if (list) list.push(v);
      else vouchedBy.set(v.to, [v]);
    }
    // A response the viewer cannot see does not count: what is hidden has no say in what they are shown.
    for (const p of m.proposals) if (input.canSee(p.author, audienceOf(p.publishes))) answered.add(p.publishes);
    for (const r of [...m.commitments, ...m.events]) {
      if (r.satisfies !== undefined && input.canSee(r.author, audienceOf(r.satisfies))) answered.add(r.satisfies);
    }
  }
  const seen = seenIntents(input);
  const areas = new Map<string, Set<string>>();
  const areaMembers = new Map<string, Set<string>>();
  const openOfferers = new Map<string, Set<string>>();
  const pastOfferers = new Map<string, Set<string>>();
  const open = visibleIntents(input);
  for (const i of seen) {
    if (i.atLocation !== undefined) {
      addTo(areas, i.author, i.atLocation);
      addTo(areaMembers, i.atLocation, i.author);
    }
    const gone = i.status !== 'open' || (i.expires !== undefined && i.expires <= input.now);
    if (i.kind === 'offer' && gone) addTo(pastOfferers, i.resourceConformsTo, i.author);
  }
  for (const i of open) if (i.kind === 'offer') addTo(openOfferers, i.resourceConformsTo, i.author);
  return { names: memberNames(input.members), vouchedBy, answered, open, seen, areas, areaMembers, openOfferers, pastOfferers, bases: new Map() };
}

function run(input: AgentInput): AgentProposal[] {
  const steps = new Budget(input);
  const w = world(input);
  const out: AgentProposal[] = [];
  for (const need of w.open) {
    if (need.kind !== 'need' || need.author === input.viewer || w.answered.has(need.id)) continue;
    if (!steps.spend(Math.max(1, input.members.length))) return finish(input, unique(out));
    const d = waitingNeed(input, w, need);
    if (d) out.push(d);
  }
  const newcomers = input.members.filter((m) => isUnvouchedNewcomer(input, w, m));
  if (newcomers.length > 0 && steps.spend(input.members.length)) {
    const scores = trustScores(input);
    for (const m of newcomers) {
      if (!steps.spend(input.members.length)) break;
      out.push(welcome(input, w, m, scores));
    }
  }
  return finish(input, unique(out));
}

const nameOf = (input: AgentInput, w: World, id: string): string => (id === input.viewer ? word('agents.word.you') : (w.names.get(id) ?? id));

function waitingNeed(input: AgentInput, w: World, need: Intent): AgentProposal | null {
  const waitDays = realSetting(input, 'waitDays', 5, 0.5, 365);
  const waited = (input.now - need.created) / DAY;
  if (waited < waitDays) return null;
  const weights = weightsFromKeys(input, REACH_OUT_DEFAULT_WEIGHTS);
  const helpers = needHelpers(input, w, need);
  const unvouched = (w.vouchedBy.get(need.author) ?? []).length === 0;
  const person = w.names.get(need.author) ?? need.author;
  const days = Math.floor(waited);
  const explanation = [
    fact(`${K}.waited`, '“{need}” has waited {days} days without a reply.', { need: need.name, days }, weights.wait),
    fact(`${K}.helpers`, '{count} members could help.', { count: helpers.length }, weights.helpers),
    fact(unvouched ? `${K}.unvouched` : `${K}.known`, unvouched ? '{person} is not yet vouched for by anyone, so fewer people may see their posts.' : '{person} is known to others here.', { person }, weights.unvouched),
    ...reasonFacts(input, w, helpers, { person, what: categoryName(input, need.resourceConformsTo) }),
  ];
  const who = listWords(helpers.map((h) => nameOf(input, w, h.id)));
  return propose('RadicalInclusion', {
    kind: 'reach-out-need',
    subjects: [need.id],
    summaryKey: helpers.length > 0 ? `${K}.reachOut` : `${K}.reachOutAnyone`,
    summaryTemplate:
      helpers.length > 0
        ? '{person} asked for “{need}” {days} days ago and is still waiting: {helpers} might reach out.'
        : '{person} asked for “{need}” {days} days ago and is still waiting: could anyone reach out?',
    summaryParams: { person, need: need.name, days, helpers: who },
    explanation,
    score: round2(weights.wait * Math.min(1, waited / (3 * waitDays)) + weights.helpers * Math.min(1, helpers.length / MAX_HELPERS) + weights.unvouched * (unvouched ? 1 : 0)),
    expires: need.expires ?? input.now + 7 * DAY,
  });
}

type Reason = 'offers' | 'offeredBefore' | 'knows' | 'nearby' | 'dealt';

interface Helper {
  id: string;
  points: number;
  reasons: Reason[];
}

/** Why someone might help with a need, and how much each counts; bit i of a flag set = REASONS[i]. */
const REASONS: readonly (readonly [Reason, number])[] = [
  ['offers', 3],
  ['offeredBefore', 2],
  ['knows', 2],
  ['nearby', 1],
];
const KNOWS = 4;

/** One fact per reason, naming the helpers it applies to: translatable, and no verb to agree with "you". */
const REASON_TEXT: Record<Reason, string> = {
  offers: 'Offers {what} now: {people}.',
  offeredBefore: 'Offered {what} before: {people}.',
  knows: 'Has vouched for {person}: {people}.',
  nearby: 'Posts in the same area: {people}.',
  dealt: 'Has shared with {person} before: {people}.',
};

function reasonFacts(input: AgentInput, w: World, helpers: readonly Helper[], params: Record<string, string>): Fact[] {
  const order: Reason[] = ['offers', 'offeredBefore', 'knows', 'nearby', 'dealt'];
  const out: Fact[] = [];
  for (const r of order) {
    const who = helpers.filter((h) => h.reasons.includes(r)).map((h) => nameOf(input, w, h.id));
    if (who.length > 0) out.push(fact(`${K}.reason.${r}`, REASON_TEXT[r], { ...params, people: listWords(who) }));
  }
  return out;
}

interface Scored {
  id: string;
  flags: number;
  points: number;
}

function scored(id: string, flags: number): Scored {
  let points = 0;
  REASONS.forEach(([, n], i) => {
    if (flags & (1 << i)) points += n;
  });
  return { id, flags, points };
}

const byPoints = (a: Scored, b: Scored): number => b.points - a.points || cmp(a.id, b.id);
const reasonsOf = (flags: number): Reason[] => REASONS.filter((_, i) => flags & (1 << i)).map(([r]) => r);

interface Base {
  ranked: Scored[];
  flags: Map<string, number>;
}

/**
 * Helpers for every need of one category and area, before the person's own vouchers are added: the
 * same for all such needs, so it is worked out once per category and area.
 */
function baseHelpers(input: AgentInput, w: World, category: string, area: string | undefined): Base {
  const key = `${category}\u0000${area ?? ''}`;
  const cached = w.bases.get(key);
  if (cached) return cached;
  const flags = new Map<string, number>();
  const mark = (ids: Iterable<string> | undefined, bit: number) => {
    for (const id of ids ?? []) flags.set(id, (flags.get(id) ?? 0) | bit);
  };
  mark(w.openOfferers.get(category), 1);
  mark(w.pastOfferers.get(category), 2);
  if (area !== undefined) mark(w.areaMembers.get(area), 8);
  for (const id of [...flags.keys()]) if (!input.canSee(id, 'local')) flags.delete(id);
  const base = { ranked: [...flags].map(([id, f]) => scored(id, f)).sort(byPoints), flags };
  w.bases.set(key, base);
  return base;
}

function needHelpers(input: AgentInput, w: World, need: Intent): Helper[] {
  const base = baseHelpers(input, w, need.resourceConformsTo, need.atLocation);
  const vouchers = new Set((w.vouchedBy.get(need.author) ?? []).map((v) => v.from).filter((id) => input.canSee(id, 'local')));
  // Anyone outside the top of the base list who is not a voucher cannot reach the top three.
  const pool = new Map<string, Scored>();
  for (const c of base.ranked.slice(0, MAX_HELPERS + 1 + vouchers.size)) pool.set(c.id, c);
  for (const v of vouchers) pool.set(v, scored(v, (base.flags.get(v) ?? 0) | KNOWS));
  pool.delete(need.author);
  return [...pool.values()]
    .sort(byPoints)
    .slice(0, MAX_HELPERS)
    .map((c) => ({ id: c.id, points: c.points, reasons: reasonsOf(c.flags) }));
}

function isUnvouchedNewcomer(input: AgentInput, w: World, m: MemberRecords): boolean {
  const newcomerDays = realSetting(input, 'newcomerDays', 30, 1, 365);
  const settleDays = realSetting(input, 'settleDays', 2, 0, 30);
  const age = input.now - m.joined;
  if (m.agentId === input.viewer || age < settleDays * DAY || age > newcomerDays * DAY) return false;
  return (w.vouchedBy.get(m.agentId) ?? []).length === 0 && input.canSee(m.agentId, 'local');
}

function thresholds(input: AgentInput): TrustThresholds {
  try {
    return checkThresholds(input.community.thresholds);
  } catch {
    return DEFAULT_THRESHOLDS;
  }
}

function trustScores(input: AgentInput): TrustScores {
  const vouches: Vouch[] = [];
  for (const m of input.members) {
    for (const v of m.vouches) {
      if (v.author === m.agentId && v.from === v.author && v.to !== v.from && (v.expires === undefined || v.expires > input.now)) vouches.push(v);
    }
  }
  return computeScores(buildGraph(vouches), input.viewer);
}

function welcome(input: AgentInput, w: World, m: MemberRecords, scores: TrustScores): AgentProposal {
  const weights = weightsFromKeys(input, WELCOME_DEFAULT_WEIGHTS);
  const helpers = welcomers(input, w, m, scores);
  const days = Math.floor((input.now - m.joined) / DAY);
  const active = w.seen.some((i) => i.author === m.agentId);
  const who = listWords(helpers.map((h) => nameOf(input, w, h.id)));
  return propose('RadicalInclusion', {
    kind: 'welcome-newcomer',
    subjects: [m.agentId],
    summaryKey: helpers.length > 0 ? `${K}.welcome` : `${K}.welcomeAnyone`,
    summaryTemplate:
      helpers.length > 0
        ? '{person} joined {days} days ago and has not met anyone who could vouch for them yet: {helpers} might say hello.'
        : '{person} joined {days} days ago and has not met anyone who could vouch for them yet: could someone say hello?',
    summaryParams: { person: m.name, days, helpers: who },
    explanation: [
      fact(`${K}.joined`, '{person} joined {days} days ago.', { person: m.name, days }, weights.days),
      fact(`${K}.welcomers`, '{count} members trusted to vouch could meet them.', { count: helpers.length }, weights.newcomerHelpers),
      fact(active ? `${K}.active` : `${K}.notActive`, active ? '{person} has already posted.' : '{person} has not posted yet.', { person: m.name }, weights.active),
      ...reasonFacts(input, w, helpers, { person: m.name }),
    ],
    score: round2(weights.days * Math.min(1, days / 14) + weights.newcomerHelpers * Math.min(1, helpers.length / MAX_HELPERS) + weights.active * (active ? 1 : 0)),
    expires: m.joined + realSetting(input, 'newcomerDays', 30, 1, 365) * DAY,
  });
}

/** Members trusted enough to vouch, nearest first: shared area, past dealings, then trust. */
function welcomers(input: AgentInput, w: World, m: MemberRecords, scores: TrustScores): Helper[] {
  const min = thresholds(input).vouch;
  const theirAreas = w.areas.get(m.agentId) ?? new Set<string>();
  const dealt = dealings(input, w, m.agentId);
  const out: (Helper & { trust: number })[] = [];
  for (const c of input.members) {
    if (c.agentId === m.agentId || !input.canSee(c.agentId, 'local')) continue;
    const trust = scores.score(c.agentId);
    // The viewer always scores 1 from their own position; they count only once someone has vouched for them.
    if (trust < min || (c.agentId === input.viewer && (w.vouchedBy.get(c.agentId) ?? []).length === 0)) continue;
    const reasons: Reason[] = [];
    if ([...(w.areas.get(c.agentId) ?? [])].some((a) => theirAreas.has(a))) reasons.push('nearby');
    if (dealt.has(c.agentId)) reasons.push('dealt');
    out.push({ id: c.agentId, points: 2 * reasons.length, reasons, trust });
  }
  return out.sort((a, b) => b.points - a.points || b.trust - a.trust || cmp(a.id, b.id)).slice(0, MAX_HELPERS);
}

/** Who made a commitment or recorded a hand-over with whom, as far as the viewer may see; built once. */
function dealings(input: AgentInput, w: World, who: string): ReadonlySet<string> {
  if (!w.dealings) {
    const map = new Map<string, Set<string>>();
    const audienceOf = audienceLookup(input);
    for (const m of input.members) {
      for (const r of [...m.commitments, ...m.events]) {
        if (r.author !== m.agentId || !input.canSee(r.author, audienceOf(r.satisfies))) continue;
        if (r.provider === undefined || r.receiver === undefined || r.provider === r.receiver) continue;
        addTo(map, r.provider, r.receiver);
        addTo(map, r.receiver, r.provider);
      }
    }
    w.dealings = map;
  }
  return w.dealings.get(who) ?? new Set();
}

export const radicalInclusion: Agent = { name: 'RadicalInclusion', run };
