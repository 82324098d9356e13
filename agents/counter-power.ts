/**
 * CounterPower: when many needs of one kind appear at once — a burst over the usual rate — proposes a
 * collective solidarity response (a meeting, a rapid-response rota, a shared action) rather than each
 * person facing it alone. Needs of any status count, so the usual rate includes needs already met.
 *
 * Per category: recent = different people whose needs were created in the last `burstHours`; expected =
 * needs in the `baselineDays` before that, scaled to the burst length; surge = recent / max(expected,
 * 0.5). A burst needs recent ≥ `minPeople` and surge ≥ `minSurge`.
 * Score = surge × w.surge + people × w.people + area × w.area, with surge = min(1, surge /
 * (2·minSurge)), people = min(1, recent / (2·minPeople)), area = share of the burst in its most common
 * area. Settings: `burstHours` 48 (1..720), `baselineDays` 28 (1..365), `minPeople` 4 (2..1000),
 * `minSurge` 3 (1..100), `weight.surge` 0.5, `weight.people` 0.3, `weight.area` 0.2.
 */
import type { Intent } from '../src/core/model/types.ts';
import { Budget } from './lib/budget.ts';
import { areaName, categoryName, topArea } from './lib/community.ts';
import { cmp } from './lib/order.ts';
import { fact, finish, propose, round2, unique } from './lib/proposal.ts';
import { intSetting, realSetting, weightsFromKeys } from './lib/settings.ts';
import { DAY, HOUR } from './lib/time.ts';
import { seenIntents } from './lib/visibility.ts';
import type { Agent, AgentInput, AgentProposal } from './types.ts';

const K = 'agents.counterPower';
export const SOLIDARITY_DEFAULT_WEIGHTS = { surge: 0.5, people: 0.3, area: 0.2 };

interface Series {
  recent: Intent[];
  baseline: number;
}

function run(input: AgentInput): AgentProposal[] {
  const steps = new Budget(input);
  const burst = realSetting(input, 'burstHours', 48, 1, 720) * HOUR;
  const baseline = realSetting(input, 'baselineDays', 28, 1, 365) * DAY;
  const byCategory = new Map<string, Series>();
  for (const n of seenIntents(input, 'need')) {
    if (!steps.spend()) break;
    const age = input.now - n.created;
    if (age < 0 || age >= burst + baseline) continue;
    let s = byCategory.get(n.resourceConformsTo);
    if (!s) byCategory.set(n.resourceConformsTo, (s = { recent: [], baseline: 0 }));
    if (age < burst) s.recent.push(n);
    else s.baseline++;
  }
  const ctx: Ctx = {
    burst,
    baseline,
    minPeople: intSetting(input, 'minPeople', 4, 2, 1000),
    minSurge: realSetting(input, 'minSurge', 3, 1, 100),
    w: weightsFromKeys(input, SOLIDARITY_DEFAULT_WEIGHTS),
  };
  const out: AgentProposal[] = [];
  for (const [category, s] of [...byCategory].sort((a, b) => cmp(a[0], b[0]))) {
    const p = solidarity(input, category, s, ctx);
    if (p) out.push(p);
  }
  return finish(input, unique(out));
}

interface Ctx {
  burst: number;
  baseline: number;
  minPeople: number;
  minSurge: number;
  w: Record<'surge' | 'people' | 'area', number>;
}

function solidarity(input: AgentInput, category: string, s: Series, c: Ctx): AgentProposal | null {
  const people = new Set(s.recent.map((n) => n.author)).size;
  const expected = (s.baseline * c.burst) / c.baseline;
  const surge = people / Math.max(expected, 0.5);
  if (people < c.minPeople || surge < c.minSurge) return null;
  const what = categoryName(input, category);
  const hours = Math.round(c.burst / HOUR);
  const top = topArea(s.recent);
  const where = top.area === null ? '—' : areaName(input, top.area);
  const open = s.recent.filter((n) => n.status === 'open').length;
  return propose('CounterPower', {
    kind: 'solidarity',
    subjects: s.recent.map((n) => n.id).sort(cmp),
    summaryKey: `${K}.summary`,
    summaryTemplate: '{people} people needed {what} in the last {hours} hours, {surge}× the usual: organise a response together?',
    summaryParams: { people, what, hours, surge: round2(surge) },
    explanation: [
      fact(`${K}.surge`, '{recent} needs now against about {expected} usually in {hours} hours.', { recent: s.recent.length, expected: round2(expected), hours }, c.w.surge),
      fact(`${K}.people`, '{people} different people are affected; {open} of their needs are still open.', { people, open }, c.w.people),
      fact(`${K}.area`, '{percent} % of them are in {area}.', { percent: Math.round(top.share * 100), area: where }, c.w.area),
    ],
    score: round2(c.w.surge * Math.min(1, surge / (2 * c.minSurge)) + c.w.people * Math.min(1, people / (2 * c.minPeople)) + c.w.area * top.share),
    expires: input.now + c.burst,
  });
}

export const counterPower: Agent = { name: 'CounterPower', run };
