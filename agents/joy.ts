/**
 * InsurrectionaryJoy: proposes celebrations when the community has done well — many gifts completed in
 * the last window, a milestone of gifts reached, or several newcomers to welcome. It counts, never names
 * or ranks anyone.
 *
 * A gift is an EconomicEvent with a provider and a different receiver; the giver's and receiver's copies
 * of one hand-over count once (same commitment, or same intent and people). An event is as visible as
 * the intent it satisfies, and treated as 'trusted' when that intent is unknown.
 *
 * Celebration score = gifts × w.gifts + growth × w.growth + people × w.people with gifts = min(1, gifts
 * / (2·minGifts)), growth = rise over the window before (capped at 1; 1 when that window had none), people
 * = share of members who took part. Settings: `windowDays` 7 (1..90), `minGifts` 10 (1..100000),
 * `minNewcomers` 3 (1..1000), `weight.gifts` 0.5, `weight.growth` 0.3, `weight.people` 0.2.
 * Proposals are keyed by the calendar window (now ÷ window), so a declined one stays declined for that
 * window.
 */
import type { EconomicEvent } from '../src/core/model/types.ts';
import { Budget } from './lib/budget.ts';
import { fact, finish, propose, round2, unique } from './lib/proposal.ts';
import { intSetting, weightsFromKeys } from './lib/settings.ts';
import { DAY } from './lib/time.ts';
import { audienceLookup } from './lib/visibility.ts';
import type { Agent, AgentInput, AgentProposal } from './types.ts';
import { token } from './lib/words.ts';

const K = 'agents.joy';
export const CELEBRATION_DEFAULT_WEIGHTS = { gifts: 0.5, growth: 0.3, people: 0.2 };
const MILESTONES = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000];

interface Gift {
  at: number;
  provider: string;
  receiver: string;
}

const giftKey = (e: EconomicEvent): string =>
  e.fulfills !== undefined ? `c ${e.fulfills}` : e.satisfies !== undefined ? `s ${e.satisfies} ${e.provider} ${e.receiver}` : `e ${e.id}`;

/** Visible gifts up to `now`, one per hand-over. */
function gifts(input: AgentInput, steps: Budget): Gift[] {
  const audienceOf = audienceLookup(input);
  const seen = new Map<string, Gift>();
  for (const m of input.members) {
    for (const e of m.events) {
      if (!steps.spend()) return [...seen.values()];
      if (e.author !== m.agentId || e.provider === undefined || e.receiver === undefined || e.provider === e.receiver) continue;
      if (e.hasPointInTime > input.now) continue;
      if (!input.canSee(e.author, audienceOf(e.satisfies))) continue;
      // Both sides may date one hand-over differently: the earlier date counts, whichever feed is read first.
      const k = giftKey(e);
      const had = seen.get(k);
      if (!had || e.hasPointInTime < had.at) seen.set(k, { at: e.hasPointInTime, provider: e.provider, receiver: e.receiver });
    }
  }
  return [...seen.values()];
}

function run(input: AgentInput): AgentProposal[] {
  const steps = new Budget(input);
  const window = intSetting(input, 'windowDays', 7, 1, 90) * DAY;
  const period = Math.floor(input.now / window);
  const periodEnds = (period + 1) * window;
  const all = gifts(input, steps);
  const recent = all.filter((g) => g.at > input.now - window);
  const before = all.filter((g) => g.at > input.now - 2 * window && g.at <= input.now - window).length;
  const out: AgentProposal[] = [];
  const c = celebration(input, recent, before, { period, periodEnds });
  if (c) out.push(c);
  const m = milestone(input, all.length, all.length - recent.length, { period, periodEnds });
  if (m) out.push(m);
  const w = welcome(input, window, { period, periodEnds });
  if (w) out.push(w);
  return finish(input, unique(out));
}

interface Period {
  period: number;
  periodEnds: number;
}

function celebration(input: AgentInput, recent: readonly Gift[], before: number, p: Period): AgentProposal | null {
  const minGifts = intSetting(input, 'minGifts', 10, 1, 100_000);
  if (recent.length < minGifts) return null;
  const w = weightsFromKeys(input, CELEBRATION_DEFAULT_WEIGHTS);
  const people = new Set(recent.flatMap((g) => [g.provider, g.receiver])).size;
  const growth = before === 0 ? 1 : Math.min(1, Math.max(0, (recent.length - before) / before));
  const breadth = Math.min(1, people / Math.max(1, input.members.length));
  const days = intSetting(input, 'windowDays', 7, 1, 90);
  return propose('InsurrectionaryJoy', {
    kind: 'celebration',
    subjects: [input.community.id, `window:${p.period}`],
    summaryKey: `${K}.celebration`,
    summaryTemplate: '{gifts} gifts changed hands in the last {days} days, among {people} people: time to celebrate together?',
    summaryParams: { gifts: recent.length, days, people },
    explanation: [
      fact(`${K}.gifts`, '{gifts} gifts were completed in the last {days} days.', { gifts: recent.length, days }, w.gifts),
      fact(`${K}.growth`, 'That is {gifts} against {before} in the {days} days before.', { gifts: recent.length, before, days }, w.growth),
      fact(`${K}.people`, '{people} of {members} members gave or received.', { people, members: input.members.length }, w.people),
    ],
    score: round2(w.gifts * Math.min(1, recent.length / (2 * minGifts)) + w.growth * growth + w.people * breadth),
    expires: p.periodEnds,
  });
}

/** The highest milestone crossed during this window, if any. */
function milestone(input: AgentInput, total: number, earlier: number, p: Period): AgentProposal | null {
  const reached = MILESTONES.filter((n) => earlier < n && n <= total).pop();
  if (reached === undefined) return null;
  return propose('InsurrectionaryJoy', {
    kind: 'milestone',
    subjects: [input.community.id, `milestone:${reached}`],
    summaryKey: `${K}.milestone`,
    summaryTemplate: '{community} has now shared {milestone} gifts: mark the day with a gathering?',
    summaryParams: { community: token({ community: input.community.name }), milestone: reached },
    explanation: [
      fact(`${K}.milestoneFact`, '{total} gifts completed in all, passing {milestone} in the last {days} days.', {
        total,
        milestone: reached,
        days: intSetting(input, 'windowDays', 7, 1, 90),
      }),
    ],
    score: 0.7,
    expires: Math.max(p.periodEnds, input.now + 3 * DAY),
  });
}

function welcome(input: AgentInput, window: number, p: Period): AgentProposal | null {
  const min = intSetting(input, 'minNewcomers', 3, 1, 1000);
  const fresh = input.members.filter(
    (m) => m.joined > input.now - window && m.joined <= input.now && m.agentId !== input.viewer && input.canSee(m.agentId, 'local'),
  ).length;
  if (fresh < min) return null;
  return propose('InsurrectionaryJoy', {
    kind: 'welcome-gathering',
    subjects: [input.community.id, `newcomers:${p.period}`],
    summaryKey: `${K}.welcome`,
    summaryTemplate: '{newcomers} people joined recently: hold a welcome gathering?',
    summaryParams: { newcomers: fresh },
    explanation: [fact(`${K}.newcomers`, '{newcomers} members joined in the last {days} days.', { newcomers: fresh, days: window / DAY })],
    score: round2(0.5 + 0.5 * Math.min(1, fresh / (2 * min))),
    expires: p.periodEnds,
  });
}

export const insurrectionaryJoy: Agent = { name: 'InsurrectionaryJoy', run };
