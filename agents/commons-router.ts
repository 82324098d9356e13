/**
 * CommonsRouter: where a shared resource should go next. A resource held in common is an open offer with
 * action 'use' (lent, not given away); a request is an open need with action 'use' in its category;
 * usage is the visible 'use' events of the last `usageDays`. Each resource goes to one request and each
 * requester gets at most one resource per run, fairest first: score = fairness 50 % (fewer recent uses)
 * + waiting 30 % + location 20 %.
 */
import { Budget } from './lib/budget.ts';
import { areaName, areaScore, categoryName } from './lib/community.ts';
import { memberNames, nameOf } from './lib/names.ts';
import { byCreated } from './lib/order.ts';
import { fact, finish, propose, round2 } from './lib/proposal.ts';
import { intSetting, realSetting, weightsFromObject } from './lib/settings.ts';
import { DAY } from './lib/time.ts';
import { visibleEvents, visibleIntents } from './lib/visibility.ts';
import type { Agent, AgentInput, AgentProposal } from './types.ts';
import type { Intent } from '../src/core/model/types.ts';

const NAME = 'CommonsRouter';
const K = 'agents.commonsRouter';
export const COMMONS_DEFAULT_WEIGHTS = { fairness: 0.5, waiting: 0.3, location: 0.2 };

interface Route {
  resource: Intent;
  request: Intent;
  uses: number;
  waitDays: number;
  loc: number;
  score: number;
}

/** uses[member][category]: how often each member borrowed each kind of thing lately. */
function usage(input: AgentInput, since: number): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const e of visibleEvents(input)) {
    if (e.action !== 'use' || e.receiver === undefined || e.hasPointInTime < since) continue;
    let m = out.get(e.receiver);
    if (!m) out.set(e.receiver, (m = new Map()));
    m.set(e.resourceConformsTo, (m.get(e.resourceConformsTo) ?? 0) + 1);
  }
  return out;
}

function better(a: Route, b: Route): number {
  return b.score - a.score || byCreated(a.resource, b.resource) || byCreated(a.request, b.request);
}

export const commonsRouter: Agent = {
  name: NAME,
  run(input) {
    const w = weightsFromObject(input, COMMONS_DEFAULT_WEIGHTS);
    const usageDays = realSetting(input, 'usageDays', 90, 1, 3650);
    const waitDays = realSetting(input, 'waitDays', 14, 0.1, 365);
    const perResource = intSetting(input, 'candidatesPerResource', 64, 1, 10_000);
    const maxPerCategory = intSetting(input, 'maxPairsPerCategory', 10_000, 1, 1_000_000);
    const budget = new Budget(input);
    const names = memberNames(input.members);
    const uses = usage(input, input.now - usageDays * DAY);
    const visible = visibleIntents(input).filter((i) => i.action === 'use').sort(byCreated);
    const requests = new Map<string, Intent[]>();
    for (const n of visible) {
      if (n.kind !== 'need') continue;
      const l = requests.get(n.resourceConformsTo) ?? [];
      if (l.length === 0) requests.set(n.resourceConformsTo, l);
      l.push(n);
    }
    const routes: Route[] = [];
    const perCat = new Map<string, number>();
    scan: for (const resource of visible) {
      if (resource.kind !== 'offer') continue;
      const mine: Route[] = [];
      for (const request of requests.get(resource.resourceConformsTo) ?? []) {
        const c = perCat.get(resource.resourceConformsTo) ?? 0;
        if (c >= maxPerCategory) break;
        if (!budget.spend()) break scan;
        if (request.author === resource.author) continue;
        perCat.set(resource.resourceConformsTo, c + 1);
        const u = uses.get(request.author)?.get(resource.resourceConformsTo) ?? 0;
        const wait = Math.max(0, (input.now - request.created) / DAY);
        const loc = areaScore(resource.atLocation, request.atLocation);
        const score = w.fairness / (1 + u) + w.waiting * Math.min(1, wait / waitDays) + w.location * loc;
        mine.push({ resource, request, uses: u, waitDays: wait, loc, score });
      }
      // Only a resource's best few requests go into the fair assignment: enough to route around
      // requesters already served, without sorting every pair of a large community.
      routes.push(...mine.sort(better).slice(0, perResource));
    }
    const placed = new Set<string>();
    const served = new Set<string>();
    const waiting = new Map<string, number>();
    for (const [cat, l] of requests) waiting.set(cat, l.length);
    const out: AgentProposal[] = [];
    for (const r of routes.sort(better)) {
      if (placed.has(r.resource.id) || served.has(r.request.author)) continue;
      placed.add(r.resource.id);
      served.add(r.request.author);
      out.push(route(input, names, w, usageDays, r, (waiting.get(r.resource.resourceConformsTo) ?? 1) - 1));
    }
    return finish(input, out);
  },
};

function route(input: AgentInput, names: Map<string, string>, w: typeof COMMONS_DEFAULT_WEIGHTS, usageDays: number, r: Route, others: number): AgentProposal {
  const who = nameOf(names, r.request.author);
  const category = categoryName(input, r.resource.resourceConformsTo);
  const locKey = r.loc === 1 ? 'same' : r.loc === 0 ? 'different' : 'unknown';
  const locText = { same: 'Both in {area}', different: 'The resource is in another area', unknown: 'Area not known for one side' }[locKey];
  const ends = [r.resource.expires, r.resource.hasEnd, r.request.expires, r.request.hasEnd, input.now + 7 * DAY].filter((x): x is number => x !== undefined && x > input.now);
  return propose(NAME, {
    kind: 'route',
    subjects: [r.resource.id, r.request.id],
    summaryKey: `${K}.summary`,
    summaryTemplate: '"{resource}" (held by {holder}) could go next to {who}, who asked for "{request}"',
    summaryParams: { resource: r.resource.name, holder: nameOf(names, r.resource.author), who, request: r.request.name },
    explanation: [
      fact(`${K}.fairness`, '{who} borrowed {category} {uses} times in the last {days} days', { who, category, uses: r.uses, days: usageDays }, w.fairness),
      fact(`${K}.waiting`, 'Asked {days} days ago', { days: round2(r.waitDays) }, w.waiting),
      fact(`${K}.location.${locKey}`, locText, { area: areaName(input, r.resource.atLocation) }, w.location),
      fact(`${K}.others`, '{others} other requests for {category} are waiting', { others, category }),
    ],
    score: r.score,
    expires: Math.min(...ends),
  });
}
