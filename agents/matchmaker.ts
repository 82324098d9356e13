/**
 * MutualAidMatchmaker: pairs open offers with open needs. Score = category 40 % + location 30 % +
 * time window 20 % + quantity 10 % (community-configurable via settings.weights). Needs are indexed by
 * category, then area, so an offer is scored only against needs of its own category, nearest areas
 * first, at most `candidatesPerOffer` of them: never all pairs.
 */
import { fact, finish, propose, visibleIntents } from './common.ts';
import {
  Budget,
  DAY,
  allIntents,
  answeredIntents,
  areaName,
  areaScore,
  byCreated,
  categoryName,
  intSetting,
  memberNames,
  nameOf,
  realSetting,
  round2,
  weightsSetting,
  windowGap,
  windowOf,
  type Window,
} from './derive.ts';
import type { Fact, Agent, AgentInput, AgentProposal } from './types.ts';
import type { Intent } from '../src/core/model/types.ts';

const NAME = 'MutualAidMatchmaker';
const K = 'agents.matchmaker';

export const MATCH_DEFAULT_WEIGHTS = { category: 0.4, location: 0.3, time: 0.2, quantity: 0.1 };
type Weights = typeof MATCH_DEFAULT_WEIGHTS;

export interface MatchSettings {
  weights: Weights;
  minScore: number;
  candidatesPerOffer: number;
  perOffer: number;
  perNeed: number;
  maxProposals: number;
  timeToleranceDays: number;
  ttlDays: number;
}

export function matchSettings(input: AgentInput): MatchSettings {
  return {
    weights: weightsSetting(input, MATCH_DEFAULT_WEIGHTS),
    minScore: realSetting(input, 'minScore', 0.5, 0, 1),
    candidatesPerOffer: intSetting(input, 'candidatesPerOffer', 64, 1, 10_000),
    perOffer: intSetting(input, 'perOffer', 3, 1, 100),
    perNeed: intSetting(input, 'perNeed', 3, 1, 100),
    maxProposals: intSetting(input, 'maxProposals', 200, 1, 100_000),
    timeToleranceDays: realSetting(input, 'timeToleranceDays', 7, 0.001, 365),
    ttlDays: realSetting(input, 'ttlDays', 3, 0.001, 365),
  };
}

interface Prepared {
  intent: Intent;
  window: Window;
}

interface Pair {
  offer: Prepared;
  need: Prepared;
  score: number;
}

/** needs[category][area or ''] oldest first: the pruning index. */
type NeedIndex = Map<string, { all: Prepared[]; byArea: Map<string, Prepared[]> }>;

function indexNeeds(needs: Prepared[]): NeedIndex {
  const idx: NeedIndex = new Map();
  for (const n of needs) {
    const cat = n.intent.resourceConformsTo;
    let c = idx.get(cat);
    if (!c) idx.set(cat, (c = { all: [], byArea: new Map() }));
    c.all.push(n);
    const area = n.intent.atLocation ?? '';
    const list = c.byArea.get(area);
    if (list) list.push(n);
    else c.byArea.set(area, [n]);
  }
  return idx;
}

/**
 * The needs one offer is scored against: its own area, then needs without an area, then the rest of the
 * category. Each offer starts at its own offset within a bucket so that, when the cap bites, different
 * offers look at different needs instead of all at the same oldest ones.
 */
function* candidates(idx: NeedIndex, offer: Prepared, rank: number, cap: number): Generator<Prepared> {
  const c = idx.get(offer.intent.resourceConformsTo);
  if (!c) return;
  const area = offer.intent.atLocation;
  const buckets = area === undefined ? [c.all] : [c.byArea.get(area) ?? [], c.byArea.get('') ?? [], c.all];
  const seen = area === undefined ? undefined : new Set<Prepared>();
  let given = 0;
  for (const b of buckets) {
    const n = b.length;
    const start = n === 0 ? 0 : (rank * cap) % n;
    for (let k = 0; k < n; k++) {
      const x = b[(start + k) % n];
      if (seen) {
        if (seen.has(x)) continue;
        seen.add(x);
      }
      yield x;
      if (++given >= cap) return;
    }
  }
}

function quantityScore(offer: Intent, need: Intent): number {
  const q = need.resourceQuantity;
  if (!q) return 1;
  const o = offer.resourceQuantity;
  if (!o || o.hasUnit.trim().toLowerCase() !== q.hasUnit.trim().toLowerCase()) return 0.5;
  return Math.min(1, o.hasNumericalValue / q.hasNumericalValue);
}

function score(w: Weights, s: MatchSettings, offer: Prepared, need: Prepared): number {
  const gap = windowGap(offer.window, need.window);
  const time = Math.max(0, 1 - gap / (s.timeToleranceDays * DAY));
  return (
    w.category + w.location * areaScore(offer.intent.atLocation, need.intent.atLocation) + w.time * time + w.quantity * quantityScore(offer.intent, need.intent)
  );
}

function locationFact(input: AgentInput, w: number, o: Intent, n: Intent): Fact {
  if (o.atLocation === undefined || n.atLocation === undefined)
    return fact(`${K}.location.unknown`, 'One side did not say which area', {}, w);
  if (o.atLocation === n.atLocation) return fact(`${K}.location.same`, 'Both are in {area}', { area: areaName(input, o.atLocation) }, w);
  return fact(`${K}.location.different`, 'Different areas: {offerArea} and {needArea}', { offerArea: areaName(input, o.atLocation), needArea: areaName(input, n.atLocation) }, w);
}

function timeFact(w: number, o: Prepared, n: Prepared): Fact {
  if (o.intent.hasBeginning === undefined && o.intent.hasEnd === undefined && n.intent.hasBeginning === undefined && n.intent.hasEnd === undefined)
    return fact(`${K}.time.open`, 'Neither side limits when', {}, w);
  const gap = windowGap(o.window, n.window);
  if (gap === 0) return fact(`${K}.time.overlap`, 'Their times overlap', {}, w);
  return fact(`${K}.time.gap`, 'Their times are {days} days apart', { days: round2(gap / DAY) }, w);
}

function quantityFact(w: number, o: Intent, n: Intent): Fact {
  const q = n.resourceQuantity;
  if (!q) return fact(`${K}.quantity.any`, 'The need names no amount', {}, w);
  const oq = o.resourceQuantity;
  if (!oq) return fact(`${K}.quantity.unknown`, 'The offer names no amount; {needed} {unit} needed', { needed: q.hasNumericalValue, unit: q.hasUnit }, w);
  if (oq.hasUnit.trim().toLowerCase() !== q.hasUnit.trim().toLowerCase())
    return fact(`${K}.quantity.units`, 'Offered in {offerUnit}, needed in {needUnit}', { offerUnit: oq.hasUnit, needUnit: q.hasUnit }, w);
  const key = oq.hasNumericalValue >= q.hasNumericalValue ? 'enough' : 'partial';
  return fact(`${K}.quantity.${key}`, 'Offers {offered} {unit} of the {needed} {unit} needed', { offered: oq.hasNumericalValue, needed: q.hasNumericalValue, unit: q.hasUnit }, w);
}

function toProposal(input: AgentInput, s: MatchSettings, names: Map<string, string>, p: Pair): AgentProposal {
  const o = p.offer.intent;
  const n = p.need.intent;
  const w = s.weights;
  const ends = [o.expires, n.expires, o.hasEnd, n.hasEnd, input.now + s.ttlDays * DAY].filter((x): x is number => x !== undefined && x > input.now);
  return propose(NAME, {
    kind: 'match',
    subjects: [o.id, n.id],
    summaryKey: `${K}.summary`,
    summaryTemplate: '{giver} offers "{offer}", which could meet "{need}" for {receiver}',
    summaryParams: { giver: nameOf(names, o.author), offer: o.name, receiver: nameOf(names, n.author), need: n.name },
    explanation: [
      fact(`${K}.category`, 'Same category: {category}', { category: categoryName(input, o.resourceConformsTo) }, w.category),
      locationFact(input, w.location, o, n),
      timeFact(w.time, p.offer, p.need),
      quantityFact(w.quantity, o, n),
      fact(`${K}.score`, 'Match score {score} of 1', { score: round2(p.score) }),
    ],
    score: p.score,
    expires: Math.min(...ends),
  });
}

/** Keeps the `n` best pairs, best first; ties broken on ids so the result never depends on scan order. */
function better(a: Pair, b: Pair): number {
  return b.score - a.score || cmp(a.offer.intent.id, b.offer.intent.id) || cmp(a.need.intent.id, b.need.intent.id);
}
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function insertTop(list: Pair[], p: Pair, n: number): void {
  let i = list.length;
  while (i > 0 && better(p, list[i - 1]) < 0) i--;
  if (i >= n) return;
  list.splice(i, 0, p);
  if (list.length > n) list.pop();
}

function prepare(input: AgentInput, kind: 'offer' | 'need', answered: Set<string>): Prepared[] {
  const out: Prepared[] = [];
  for (const i of visibleIntents(input)) {
    if (i.kind !== kind || answered.has(i.id)) continue;
    const window = windowOf(i, input.now);
    if (window.end <= input.now) continue;
    out.push({ intent: i, window });
  }
  return out.sort((a, b) => byCreated(a.intent, b.intent));
}

/** Best pairs per offer, then at most `perNeed` offers per need. */
function pairs(input: AgentInput, s: MatchSettings, budget: Budget): Pair[] {
  const answered = answeredIntents(input, allIntents(input));
  const offers = prepare(input, 'offer', answered);
  const idx = indexNeeds(prepare(input, 'need', answered));
  const perNeed = new Map<Prepared, Pair[]>();
  const rank = new Map<string, number>();
  scan: for (const offer of offers) {
    const bucket = `${offer.intent.resourceConformsTo}\u0000${offer.intent.atLocation ?? ''}`;
    const r = rank.get(bucket) ?? 0;
    rank.set(bucket, r + 1);
    const top: Pair[] = [];
    for (const need of candidates(idx, offer, r, s.candidatesPerOffer)) {
      if (!budget.spend()) break scan;
      if (need.intent.author === offer.intent.author) continue;
      const sc = score(s.weights, s, offer, need);
      if (sc >= s.minScore) insertTop(top, { offer, need, score: sc }, s.perOffer);
    }
    for (const p of top) {
      const list = perNeed.get(p.need) ?? [];
      if (list.length === 0) perNeed.set(p.need, list);
      insertTop(list, p, s.perNeed);
    }
  }
  return [...perNeed.values()].flat().sort(better);
}

export const matchmaker: Agent = {
  name: NAME,
  run(input) {
    const s = matchSettings(input);
    const names = memberNames(input);
    const out: AgentProposal[] = [];
    let others = 0;
    for (const p of pairs(input, s, new Budget(input))) {
      // The viewer's own matches are always shown; the cap only limits matches between others.
      const mine = p.offer.intent.author === input.viewer || p.need.intent.author === input.viewer;
      if (!mine && others >= s.maxProposals) continue;
      const prop = toProposal(input, s, names, p);
      if (input.declined?.has(prop.id)) continue;
      if (!mine) others++;
      out.push(prop);
    }
    return finish(input, out);
  },
};
