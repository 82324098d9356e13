/**
 * PerishablesDispatcher: offers that spoil soon (a perishable category, or any offer whose expiry or
 * end is within the horizon) and who could take them in time. Takers are members with an open need in
 * the same category, then members who visibly received that category before. Score = urgency 40 % +
 * location 30 % + fit 30 % (an open need fits 1, a past receiver 0.5).
 */
import { Budget } from './lib/budget.ts';
import { areaName, areaScore, categoryName, isPerishable } from './lib/community.ts';
import { memberNames, nameOf } from './lib/names.ts';
import { time } from './lib/words.ts';
import { byCreated } from './lib/order.ts';
import { fact, finish, propose, round2 } from './lib/proposal.ts';
import { intSetting, realSetting, weightsFromObject } from './lib/settings.ts';
import { HOUR, windowGap, windowOf } from './lib/time.ts';
import { visibleEvents, visibleIntents } from './lib/visibility.ts';
import type { Agent, AgentInput, AgentProposal } from './types.ts';
import type { Intent } from '../src/core/model/types.ts';

const NAME = 'PerishablesDispatcher';
const K = 'agents.perishables';
export const PERISHABLES_DEFAULT_WEIGHTS = { urgency: 0.4, location: 0.3, fit: 0.3 };

/** When a perishable offer with no stated expiry is assumed to spoil, counted from when it was posted. */
const DEFAULT_SHELF_HOURS = 72;

interface Taker {
  member: string;
  /** The open need this taker posted, if any. */
  need?: Intent;
  area?: string;
  lastReceived?: number;
}

/** When the offer spoils: its expiry or end if stated, else posted + shelf life for perishable goods. */
function spoilsAt(input: AgentInput, o: Intent, shelfHours: number): number | undefined {
  const stated = [o.expires, o.hasEnd].filter((x): x is number => x !== undefined);
  if (stated.length > 0) return Math.min(...stated);
  return isPerishable(input, o.resourceConformsTo) ? o.created + shelfHours * HOUR : undefined;
}

/** Past receivers of each category from visible events, most recent first: who took this kind of thing before. */
function pastReceivers(input: AgentInput, sinceMs: number): Map<string, [string, number][]> {
  const last = new Map<string, Map<string, number>>();
  for (const e of visibleEvents(input)) {
    if (e.receiver === undefined || e.hasPointInTime < sinceMs) continue;
    let m = last.get(e.resourceConformsTo);
    if (!m) last.set(e.resourceConformsTo, (m = new Map()));
    m.set(e.receiver, Math.max(m.get(e.receiver) ?? 0, e.hasPointInTime));
  }
  const out = new Map<string, [string, number][]>();
  for (const [cat, m] of last) out.set(cat, [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  return out;
}

/** needs[category][area, '' for none], oldest first. */
type NeedIndex = Map<string, Map<string, Intent[]>>;

/** Askers nearest first (same area, no area, other areas), then past receivers; at most `cap` of each. */
function takersFor(offer: Intent, needs: NeedIndex, receivers: Map<string, [string, number][]>, homeArea: Map<string, string>, cap: number): Taker[] {
  const out: Taker[] = [];
  const seen = new Set<string>([offer.author]);
  const byArea = needs.get(offer.resourceConformsTo);
  const here = offer.atLocation ?? '';
  const areas = byArea ? [here, ...(here === '' ? [] : ['']), ...[...byArea.keys()].filter((a) => a !== here && a !== '').sort()] : [];
  let asked = 0;
  for (const a of areas)
    for (const n of byArea?.get(a) ?? []) {
      if (asked >= cap) break;
      if (seen.has(n.author)) continue;
      seen.add(n.author);
      asked++;
      out.push({ member: n.author, need: n, area: n.atLocation });
    }
  let past = 0;
  for (const [member, at] of receivers.get(offer.resourceConformsTo) ?? []) {
    if (past >= cap) break;
    if (seen.has(member)) continue;
    seen.add(member);
    past++;
    out.push({ member, area: homeArea.get(member), lastReceived: at });
  }
  return out;
}

/** The area a member last posted from (their visible intents), the best guess of where they are. */
function homeAreas(intents: Intent[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of [...intents].sort(byCreated)) if (i.atLocation !== undefined) out.set(i.author, i.atLocation);
  return out;
}

export const perishables: Agent = {
  name: NAME,
  run(input) {
    const w = weightsFromObject(input, PERISHABLES_DEFAULT_WEIGHTS);
    const horizonH = realSetting(input, 'horizonHours', 48, 1, 24 * 30);
    const shelfH = realSetting(input, 'shelfHours', DEFAULT_SHELF_HOURS, 1, 24 * 365);
    const perOffer = intSetting(input, 'perOffer', 3, 1, 50);
    const historyDays = realSetting(input, 'historyDays', 60, 1, 3650);
    const budget = new Budget(input);
    const names = memberNames(input.members);
    const visible = visibleIntents(input).sort(byCreated);
    const home = homeAreas(visible);
    const maxTakers = intSetting(input, 'maxTakers', 50, 1, 10_000);
    const needs: NeedIndex = new Map();
    for (const n of visible) {
      if (n.kind !== 'need') continue;
      let byArea = needs.get(n.resourceConformsTo);
      if (!byArea) needs.set(n.resourceConformsTo, (byArea = new Map()));
      const list = byArea.get(n.atLocation ?? '');
      if (list) list.push(n);
      else byArea.set(n.atLocation ?? '', [n]);
    }
    const receivers = pastReceivers(input, input.now - historyDays * 24 * HOUR);
    const out: AgentProposal[] = [];
    scan: for (const offer of visible) {
      if (offer.kind !== 'offer' || offer.action !== 'transfer') continue;
      const spoils = spoilsAt(input, offer, shelfH);
      if (spoils === undefined || spoils <= input.now || spoils - input.now > horizonH * HOUR) continue;
      const urgency = 1 - (spoils - input.now) / (horizonH * HOUR);
      const ranked: Array<{ t: Taker; score: number; loc: number; fit: number }> = [];
      for (const t of takersFor(offer, needs, receivers, home, maxTakers)) {
        if (!budget.spend()) break scan;
        // A need that only starts after the food has spoiled cannot take it.
        if (t.need && windowGap(windowOf(t.need, input.now), { start: input.now, end: spoils }) > 0) continue;
        const loc = areaScore(offer.atLocation, t.area);
        const fit = t.need ? 1 : 0.5;
        ranked.push({ t, loc, fit, score: w.urgency * urgency + w.location * loc + w.fit * fit });
      }
      ranked.sort((a, b) => b.score - a.score || (a.t.member < b.t.member ? -1 : 1));
      for (const r of ranked.slice(0, perOffer)) out.push(pickup(input, names, w, offer, spoils, urgency, r));
    }
    return finish(input, out);
  },
};

function pickup(
  input: AgentInput,
  names: Map<string, string>,
  w: typeof PERISHABLES_DEFAULT_WEIGHTS,
  offer: Intent,
  spoils: number,
  urgency: number,
  r: { t: Taker; loc: number; fit: number; score: number },
): AgentProposal {
  const hoursLeft = round2((spoils - input.now) / HOUR);
  const taker = nameOf(names, r.t.member);
  const locKey = r.loc === 1 ? 'same' : r.loc === 0 ? 'different' : 'unknown';
  const locText = { same: 'Both in {area}', different: 'They are in different areas', unknown: 'Area not known for one side' }[locKey];
  return propose(NAME, {
    kind: 'pickup',
    subjects: r.t.need ? [offer.id, r.t.need.id] : [offer.id, r.t.member],
    summaryKey: `${K}.summary`,
    summaryTemplate: '{taker} could pick up "{offer}" from {giver} before it spoils ({when})',
    summaryParams: { taker, offer: offer.name, giver: nameOf(names, offer.author), when: time(spoils) },
    explanation: [
      fact(`${K}.urgency`, 'Spoils in {hours} hours', { hours: hoursLeft }, w.urgency),
      fact(`${K}.location.${locKey}`, locText, { area: areaName(input, offer.atLocation) }, w.location),
      r.t.need
        ? fact(`${K}.fit.need`, '{taker} asked for {category}: "{need}"', { taker, category: categoryName(input, offer.resourceConformsTo), need: r.t.need.name }, w.fit)
        : fact(`${K}.fit.history`, '{taker} took {category} before', { taker, category: categoryName(input, offer.resourceConformsTo) }, w.fit),
      fact(`${K}.urgencyScore`, 'Urgency {urgency} of 1', { urgency: round2(urgency) }),
    ],
    score: r.score,
    expires: spoils,
  });
}
