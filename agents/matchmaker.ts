/**
 * MutualAidMatchmaker: pairs open offers with open needs. Score = category 40 % + location 30 % +
 * time window 20 % + quantity 10 % (community-configurable via settings.weights). Needs are indexed by
 * category, then area, so an offer is scored only against needs of its own category, nearest areas
 * first, at most `candidatesPerOffer` of them: never all pairs.
 */
import { Budget } from './lib/budget.ts';
import { areaName, categoryName } from './lib/community.ts';
import { memberNames, nameOf } from './lib/names.ts';
import { byCreated } from './lib/order.ts';
import { fact, finish, propose, round2 } from './lib/proposal.ts';
import { intSetting, realSetting, weightsFromObject } from './lib/settings.ts';
import { DAY, windowGap } from './lib/time.ts';
import { answeredIntents, visibleIntents } from './lib/visibility.ts';
import type { Fact, Agent, AgentInput, AgentProposal } from './types.ts';
import type { Intent } from '../src/core/model/types.ts';
import { candidates, indexByCategory, pairScore, prepared, side, tables, toleranceMs, type Prepared, type ScoreWeights, type Side, type Tables } from './matchmaker-index.ts';

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
    weights: weightsFromObject(input, MATCH_DEFAULT_WEIGHTS),
    minScore: realSetting(input, 'minScore', 0.5, 0, 1),
    candidatesPerOffer: intSetting(input, 'candidatesPerOffer', 32, 1, 10_000),
    perOffer: intSetting(input, 'perOffer', 3, 1, 100),
    perNeed: intSetting(input, 'perNeed', 3, 1, 100),
    maxProposals: intSetting(input, 'maxProposals', 200, 1, 100_000),
    timeToleranceDays: realSetting(input, 'timeToleranceDays', 7, 0.001, 365),
    ttlDays: realSetting(input, 'ttlDays', 3, 0.001, 365),
  };
}

interface Pair {
  /** Indices into the offer and need sides. */
  o: number;
  n: number;
  offer: Prepared;
  need: Prepared;
  score: number;
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

/**
 * Best first; ties broken on side positions, which follow (created, id), so the result never depends
 * on the order feeds arrived in.
 */
function better(a: Pair, b: Pair): number {
  return b.score - a.score || a.o - b.o || a.n - b.n;
}

/** Inserts `p` into a best-first list of at most `n`, unless it is already there or does not make the cut. */
function insertTop(list: Pair[], p: Pair, n: number): void {
  if (list.some((q) => q.o === p.o && q.n === p.n)) return;
  let i = list.length;
  while (i > 0 && better(p, list[i - 1]) < 0) i--;
  if (i >= n) return;
  list.splice(i, 0, p);
  if (list.length > n) list.pop();
}

function keep(lists: Map<number, Pair[]>, key: number, p: Pair, n: number): void {
  const list = lists.get(key);
  if (list) insertTop(list, p, n);
  else lists.set(key, [p]);
}

/** Open, visible, unanswered offers and needs whose time has not passed, each oldest first. */
function prepare(input: AgentInput, answered: Set<string>): { offers: Prepared[]; needs: Prepared[] } {
  const offers: Prepared[] = [];
  const needs: Prepared[] = [];
  for (const i of visibleIntents(input)) {
    if (answered.has(i.id)) continue;
    const p = prepared(i, input.now);
    if (p.window.end <= input.now) continue;
    (i.kind === 'offer' ? offers : needs).push(p);
  }
  return { offers: offers.sort(byCreated), needs: needs.sort(byCreated) };
}

/** Would (score, need) make it into a full best-first list? Checked before building the pair. */
function makesCut(top: Pair[], cap: number, score: number, n: number): boolean {
  if (top.length < cap) return true;
  const last = top[top.length - 1];
  return score > last.score || (score === last.score && n < last.n);
}

/**
 * Each offer's best needs among its pruned candidates; then at most `perNeed` offers per need. Pairs
 * involving the viewer are kept apart, outside the per-need trimming of everyone else's.
 */
function pairs(input: AgentInput, s: MatchSettings, budget: Budget): Pair[] {
  const answered = answeredIntents(input);
  const { offers: offerList, needs: needList } = prepare(input, answered);
  const t = tables();
  const offers = side(offerList, t);
  const needs = side(needList, t);
  const idx = indexByCategory(needs, t);
  const w: ScoreWeights = { ...s.weights, toleranceMs: toleranceMs(s.timeToleranceDays) };
  const viewer = t.authors.id(input.viewer);
  const perNeed = new Map<number, Pair[]>();
  const mineByOffer = new Map<number, Pair[]>();
  const mineByNeed = new Map<number, Pair[]>();
  // The viewer's own needs are searched first: under a tight budget they matter most to the viewer.
  viewerNeeds(s, w, budget, viewer, offers, needs, t, mineByNeed);
  const buf = new Int32Array(s.candidatesPerOffer);
  const rank = new Map<string, number>();
  for (let o = 0; o < offerList.length; o++) {
    const cat = offerList[o].intent.resourceConformsTo;
    const bucket = `${cat}\u0000${offers.area[o]}`;
    const r = rank.get(bucket) ?? 0;
    rank.set(bucket, r + 1);
    const found = candidates(idx.get(cat), offers.area[o], r, s.candidatesPerOffer, buf);
    const granted = budget.grant(found);
    const top: Pair[] = [];
    for (let k = 0; k < granted; k++) {
      const n = buf[k];
      if (needs.author[n] === offers.author[o]) continue;
      const sc = pairScore(w, offers, o, needs, n);
      if (sc < s.minScore || !makesCut(top, s.perOffer, sc, n)) continue;
      insertTop(top, { o, n, offer: offerList[o], need: needList[n], score: sc }, s.perOffer);
    }
    for (const p of top) {
      if (offers.author[o] === viewer) keep(mineByOffer, o, p, s.perOffer);
      else if (needs.author[p.n] === viewer) keep(mineByNeed, p.n, p, s.perNeed);
      else keep(perNeed, p.n, p, s.perNeed);
    }
    if (granted < found) break;
  }
  return [...perNeed.values(), ...mineByOffer.values(), ...mineByNeed.values()].flat().sort(better);
}

/**
 * The offer-side scan keeps each offer's best needs, so a viewer's need that is some offer's fourth
 * choice would vanish; the viewer's own needs therefore also look for offers themselves.
 */
function viewerNeeds(s: MatchSettings, w: ScoreWeights, budget: Budget, viewer: number, offers: Side, needs: Side, t: Tables, mine: Map<number, Pair[]>): void {
  const own: number[] = [];
  for (let n = 0; n < needs.items.length; n++) if (needs.author[n] === viewer) own.push(n);
  if (own.length === 0) return;
  const idx = indexByCategory(offers, t);
  const buf = new Int32Array(s.candidatesPerOffer);
  for (const n of own) {
    const found = candidates(idx.get(needs.items[n].intent.resourceConformsTo), needs.area[n], 0, s.candidatesPerOffer, buf);
    const granted = budget.grant(found);
    for (let k = 0; k < granted; k++) {
      const o = buf[k];
      if (offers.author[o] === viewer) continue;
      const sc = pairScore(w, offers, o, needs, n);
      if (sc >= s.minScore) keep(mine, n, { o, n, offer: offers.items[o], need: needs.items[n], score: sc }, s.perNeed);
    }
    if (granted < found) return;
  }
}

export const matchmaker: Agent = {
  name: NAME,
  run(input) {
    const s = matchSettings(input);
    const names = memberNames(input.members);
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
