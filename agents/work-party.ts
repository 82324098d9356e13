/**
 * WorkPartyScheduler: a task is an open need with action 'work' (or 'deliver-service'); a member's
 * availability is an open offer of work, its window (hasBeginning..hasEnd) the time they are free and its
 * category the skill. For each task it finds the earliest slot of `slotHours` in which most helpers
 * are free (at least `leadHours` ahead), places it in the task's area (else where most helpers are), and proposes the party.
 * Score = turnout 50 % + skills 30 % + location 20 %.
 */
import { Budget } from './lib/budget.ts';
import { areaName, categoryName } from './lib/community.ts';
import { memberNames, nameOf } from './lib/names.ts';
import { list, time, word } from './lib/words.ts';
import { byCreated } from './lib/order.ts';
import { fact, finish, propose, round2 } from './lib/proposal.ts';
import { intSetting, realSetting, weightsFromObject } from './lib/settings.ts';
import { DAY, HOUR, type Window, windowOf } from './lib/time.ts';
import { visibleIntents } from './lib/visibility.ts';
import type { Agent, AgentInput, AgentProposal } from './types.ts';
import type { Intent } from '../src/core/model/types.ts';

const NAME = 'WorkPartyScheduler';
const K = 'agents.workParty';
export const WORK_PARTY_DEFAULT_WEIGHTS = { turnout: 0.5, skills: 0.3, location: 0.2 };
const PEOPLE_UNITS = new Set(['people', 'persons', 'person', 'helpers', 'volunteers', 'hands']);

const isWork = (i: Intent) => i.action === 'work' || i.action === 'deliver-service';

interface Helper {
  offer: Intent;
  window: Window;
  /** 1 for the task's own category, 0.5 for general labour. */
  skill: number;
}

/** People wanted: the task's quantity when counted in people, else the community default. */
function wanted(task: Intent, fallback: number): number {
  const q = task.resourceQuantity;
  return q && PEOPLE_UNITS.has(q.hasUnit.trim().toLowerCase()) ? Math.max(1, Math.round(q.hasNumericalValue)) : fallback;
}

/** The earliest slot of length `len` inside `search` that the most helpers cover entirely. */
function bestSlot(search: Window, len: number, helpers: Helper[]): { start: number; free: Helper[] } | undefined {
  if (search.end - search.start < len) return undefined;
  const starts = new Set([search.start]);
  for (const h of helpers) if (h.window.start > search.start && h.window.start + len <= search.end) starts.add(h.window.start);
  let best: { start: number; free: Helper[] } | undefined;
  for (const s of [...starts].sort((a, b) => a - b)) {
    const free = helpers.filter((h) => h.window.start <= s && h.window.end >= s + len);
    if (!best || free.length > best.free.length) best = { start: s, free };
  }
  return best;
}

/** The task's area, else the area most of the free helpers stated (alphabetical on ties). */
function place(task: Intent, free: Helper[]): string | undefined {
  if (task.atLocation !== undefined) return task.atLocation;
  const counts = new Map<string, number>();
  for (const h of free) if (h.offer.atLocation !== undefined) counts.set(h.offer.atLocation, (counts.get(h.offer.atLocation) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

export const workParty: Agent = {
  name: NAME,
  run(input) {
    const w = weightsFromObject(input, WORK_PARTY_DEFAULT_WEIGHTS);
    const slotH = realSetting(input, 'slotHours', 3, 0.5, 24);
    const horizonD = realSetting(input, 'horizonDays', 14, 1, 365);
    const minHelpers = intSetting(input, 'minHelpers', 2, 1, 100);
    const defaultWanted = intSetting(input, 'defaultWanted', 4, 1, 100);
    const leadH = realSetting(input, 'leadHours', 24, 0, 24 * 30);
    const maxHelpers = intSetting(input, 'maxHelpers', 50, 1, 1000);
    const general = new Set(Array.isArray(input.settings?.generalCategories) ? (input.settings.generalCategories as unknown[]).filter((c): c is string => typeof c === 'string') : ['skills']);
    const budget = new Budget(input);
    const names = memberNames(input.members);
    const visible = visibleIntents(input).filter(isWork).sort(byCreated);
    const offersByCat = new Map<string, Intent[]>();
    for (const o of visible) {
      if (o.kind !== 'offer') continue;
      const l = offersByCat.get(o.resourceConformsTo);
      if (l) l.push(o);
      else offersByCat.set(o.resourceConformsTo, [o]);
    }
    const generalOffers = [...general].sort().flatMap((c) => offersByCat.get(c) ?? []);
    const out: AgentProposal[] = [];
    for (const task of visible) {
      if (task.kind !== 'need') continue;
      // Direct skills first, then general help, each oldest first; one entry per person.
      const helpers: Helper[] = [];
      const authors = new Set<string>([task.author]);
      const direct = general.has(task.resourceConformsTo) ? [] : offersByCat.get(task.resourceConformsTo) ?? [];
      for (const o of [...direct, ...generalOffers]) {
        if (helpers.length >= maxHelpers) break;
        if (authors.has(o.author)) continue;
        authors.add(o.author);
        helpers.push({ offer: o, window: windowOf(o, input.now), skill: o.resourceConformsTo === task.resourceConformsTo ? 1 : 0.5 });
      }
      if (!budget.spend(1 + helpers.length)) break;
      const tw = windowOf(task, input.now);
      const slot = bestSlot({ start: Math.max(tw.start, input.now + leadH * HOUR), end: Math.min(tw.end, input.now + horizonD * DAY) }, slotH * HOUR, helpers);
      if (!slot || slot.free.length < minHelpers) continue;
      out.push(party(input, names, w, task, slot, slotH, wanted(task, defaultWanted)));
    }
    return finish(input, out);
  },
};

function party(
  input: AgentInput,
  names: Map<string, string>,
  w: typeof WORK_PARTY_DEFAULT_WEIGHTS,
  task: Intent,
  slot: { start: number; free: Helper[] },
  slotH: number,
  want: number,
): AgentProposal {
  const free = [...slot.free].sort((a, b) => b.skill - a.skill || (a.offer.id < b.offer.id ? -1 : 1)).slice(0, Math.max(want, 1));
  const turnout = Math.min(1, free.length / want);
  const skills = free.reduce((s, h) => s + h.skill, 0) / free.length;
  const where = place(task, free);
  const loc = where === undefined ? 0.5 : free.filter((h) => h.offer.atLocation === where).length / free.length;
  const helpers = list(free.map((h) => nameOf(names, h.offer.author)).sort());
  const whereText = where === undefined ? word('agents.word.placeToAgree') : areaName(input, where);
  return propose(NAME, {
    kind: 'work-party',
    subjects: [task.id, ...free.map((h) => h.offer.id).sort()],
    summaryKey: `${K}.summary`,
    summaryTemplate: 'Work party for "{task}" on {when} in {place}: {count} people are free then',
    summaryParams: { task: task.name, when: time(slot.start), place: whereText, count: free.length },
    explanation: [
      fact(`${K}.turnout`, '{count} of the {wanted} people wanted are free for {hours} hours from {when}', { count: free.length, wanted: want, hours: slotH, when: time(slot.start) }, w.turnout),
      fact(`${K}.skills`, 'Skills in {category}: {skilled} offer it directly, the rest offer general help', { category: categoryName(input, task.resourceConformsTo), skilled: free.filter((h) => h.skill === 1).length }, w.skills),
      fact(`${K}.location`, 'Place: {place}; {near} of {count} helpers said they are there', { place: whereText, near: free.filter((h) => h.offer.atLocation === where && where !== undefined).length, count: free.length }, w.location),
      fact(`${K}.helpers`, 'Free then: {helpers}', { helpers }),
      fact(`${K}.asker`, 'Asked for by {asker}', { asker: nameOf(names, task.author) }),
    ],
    score: w.turnout * turnout + w.skills * skills + w.location * round2(loc),
    expires: slot.start + slotH * HOUR,
  });
}
