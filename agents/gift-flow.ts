/**
 * GiftFlow: shows the community its own flow of gifts and proposes nudges where needs wait longest.
 * It never ranks people: aggregate facts are counts (hand-overs, givers, receivers, waiting needs), and
 * a nudge names the need, not who failed to answer it.
 */
import { Budget } from './lib/budget.ts';
import { categoryName } from './lib/community.ts';
import { memberNames, nameOf } from './lib/names.ts';
import { list, word } from './lib/words.ts';
import { byCreated } from './lib/order.ts';
import { fact, finish, propose, round2 } from './lib/proposal.ts';
import { intSetting, realSetting, weightsFromObject } from './lib/settings.ts';
import { DAY, day } from './lib/time.ts';
import { allIntents, answeredIntents, visibleEvents, visibleIntents } from './lib/visibility.ts';
import type { Agent, AgentInput, AgentProposal } from './types.ts';
import type { EconomicEvent, Intent } from '../src/core/model/types.ts';

const NAME = 'GiftFlow';
const K = 'agents.giftFlow';
export const NUDGE_DEFAULT_WEIGHTS = { waiting: 0.7, reach: 0.3 };

/** Monday 00:00 UTC of the week holding `now`: one flow summary per week. */
export function weekStart(now: number): number {
  const d = new Date(now);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return midnight - ((d.getUTCDay() + 6) % 7) * DAY;
}

interface Flow {
  handOvers: number;
  givers: number;
  receivers: number;
  /** Recent distinct givers per category: how many people a nudge could reach. */
  giversByCategory: Map<string, Set<string>>;
}

function flow(events: EconomicEvent[], since: number): Flow {
  const givers = new Set<string>();
  const receivers = new Set<string>();
  const byCat = new Map<string, Set<string>>();
  let handOvers = 0;
  for (const e of events) {
    if (e.hasPointInTime < since) continue;
    handOvers++;
    if (e.provider !== undefined) {
      givers.add(e.provider);
      const s = byCat.get(e.resourceConformsTo) ?? new Set<string>();
      if (s.size === 0) byCat.set(e.resourceConformsTo, s);
      s.add(e.provider);
    }
    if (e.receiver !== undefined) receivers.add(e.receiver);
  }
  return { handOvers, givers: givers.size, receivers: receivers.size, giversByCategory: byCat };
}

/**
 * `unanswered`: every open need nobody has answered yet, however new (the nudges wait `minWaitDays`; the
 * count does not, or a community with two fresh needs and no offers read "0 needs are waiting").
 */
function summary(input: AgentInput, f: Flow, windowDays: number, needs: Intent[], unanswered: Intent[], offersByCat: Map<string, number>): AgentProposal {
  const week = weekStart(input.now);
  const stuck = [...new Set(unanswered.map((n) => n.resourceConformsTo))].filter((c) => !offersByCat.get(c)).sort();
  const unmatched = unanswered.filter((n) => !offersByCat.get(n.resourceConformsTo)).length;
  return propose(NAME, {
    kind: 'flow-summary',
    subjects: [`community:${input.community.id}`, `week:${day(week)}`],
    summaryKey: `${K}.flow.summary`,
    summaryTemplate: 'In the last {days} days: {handOvers} hand-overs recorded; {waiting} needs are waiting, {unmatched} with no matching offer',
    summaryParams: { days: windowDays, handOvers: f.handOvers, waiting: unanswered.length, unmatched },
    explanation: [
      fact(`${K}.flow.givers`, '{count} people gave something', { count: f.givers }),
      fact(`${K}.flow.receivers`, '{count} people received something', { count: f.receivers }),
      fact(`${K}.flow.open`, '{count} needs are open', { count: needs.length }),
      fact(`${K}.flow.stuck`, 'Needs with no open offer of their kind: {categories}', { categories: stuck.length ? list(stuck.map((c) => categoryName(input, c))) : word('agents.word.none') }),
    ],
    score: 0.2,
    expires: week + 7 * DAY,
  });
}

export const giftFlow: Agent = {
  name: NAME,
  run(input) {
    const w = weightsFromObject(input, NUDGE_DEFAULT_WEIGHTS);
    const minWait = realSetting(input, 'minWaitDays', 3, 0, 365);
    const fullWait = realSetting(input, 'fullWaitDays', 30, 1, 3650);
    const windowDays = realSetting(input, 'flowDays', 30, 1, 3650);
    const maxNudges = intSetting(input, 'maxNudges', 10, 0, 1000);
    const budget = new Budget(input);
    const names = memberNames(input.members);
    const intents = allIntents(input);
    const answered = answeredIntents(input, intents);
    const visible = visibleIntents(input).sort(byCreated);
    const needs = visible.filter((i) => i.kind === 'need');
    const offersByCat = new Map<string, number>();
    for (const o of visible) if (o.kind === 'offer') offersByCat.set(o.resourceConformsTo, (offersByCat.get(o.resourceConformsTo) ?? 0) + 1);
    const f = flow(visibleEvents(input, intents), input.now - windowDays * DAY);
    const unanswered = needs.filter((n) => !answered.has(n.id));
    const waiting = unanswered.filter((n) => input.now - n.created >= minWait * DAY);
    const out: AgentProposal[] = [];
    if (!budget.spend()) return [];
    if (f.handOvers > 0 || needs.length > 0) out.push(summary(input, f, windowDays, needs, unanswered, offersByCat));
    // `waiting` is oldest first, so the longest-waiting needs are nudged first when the cap or budget bites.
    for (const n of waiting.slice(0, maxNudges)) {
      if (!budget.spend()) break;
      out.push(nudge(input, names, w, n, fullWait, offersByCat.get(n.resourceConformsTo) ?? 0, f.giversByCategory.get(n.resourceConformsTo)?.size ?? 0, windowDays));
    }
    return finish(input, out);
  },
};

function nudge(input: AgentInput, names: Map<string, string>, w: typeof NUDGE_DEFAULT_WEIGHTS, n: Intent, fullWait: number, offers: number, givers: number, windowDays: number): AgentProposal {
  const days = (input.now - n.created) / DAY;
  const category = categoryName(input, n.resourceConformsTo);
  const ends = [n.expires, n.hasEnd, input.now + 2 * DAY].filter((x): x is number => x !== undefined && x > input.now);
  return propose(NAME, {
    kind: 'nudge',
    subjects: [n.id],
    summaryKey: `${K}.nudge.summary`,
    summaryTemplate: '"{need}" ({who}) has waited {days} days with no answer: share it again or ask around?',
    summaryParams: { need: n.name, who: nameOf(names, n.author), days: Math.floor(days) },
    explanation: [
      fact(`${K}.nudge.waiting`, 'Waiting {days} days, no response or commitment yet', { days: round2(days) }, w.waiting),
      fact(`${K}.nudge.reach`, '{offers} open offers and {givers} recent givers in {category} could be asked', { offers, givers, category, windowDays }, w.reach),
    ],
    score: w.waiting * Math.min(1, days / fullWait) + w.reach * Math.min(1, (offers + givers) / 3),
    expires: Math.min(...ends),
  });
}
