/**
 * ConquestOfBread: where many people need the same thing, proposes pooling — one bulk gathering of goods
 * (needs to receive: action 'transfer') or one shared item passed around (needs to use: action 'use').
 * Needs are grouped by category and action; a group of at least `minPeople` different people is a pool.
 *
 * Score = people × w.people + area × w.area + offers × w.offers, where people = min(1, people /
 * (2·minPeople)), area = share of the needs in the most common area, offers = 1 when someone already
 * offers that category, else 0. Settings: `minPeople` 3 (2..1000), `maxSubjects` 50 (2..500),
 * `weight.people` 0.5, `weight.area` 0.3, `weight.offers` 0.2.
 */
import type { Intent } from '../src/core/model/types.ts';
import { Budget } from './lib/budget.ts';
import { areaName, categoryName, topArea } from './lib/community.ts';
import { cmp } from './lib/order.ts';
import { fact, finish, propose, round2, unique } from './lib/proposal.ts';
import { intSetting, weightsFromKeys } from './lib/settings.ts';
import { DAY } from './lib/time.ts';
import { visibleIntents } from './lib/visibility.ts';
import type { Agent, AgentInput, AgentProposal } from './types.ts';

const K = 'agents.conquestOfBread';
export const POOL_DEFAULT_WEIGHTS = { people: 0.5, area: 0.3, offers: 0.2 };

type Mode = 'bulk-pool' | 'shared-use';
const modeOf = (i: Intent): Mode | null => (i.action === 'transfer' ? 'bulk-pool' : i.action === 'use' ? 'shared-use' : null);

function run(input: AgentInput): AgentProposal[] {
  const steps = new Budget(input);
  const minPeople = intSetting(input, 'minPeople', 3, 2, 1000);
  const maxSubjects = intSetting(input, 'maxSubjects', 50, 2, 500);
  const w = weightsFromKeys(input, POOL_DEFAULT_WEIGHTS);
  const groups = new Map<string, Intent[]>();
  const offered = new Map<string, number>();
  for (const i of visibleIntents(input)) {
    if (!steps.spend()) break;
    if (i.kind === 'offer') {
      offered.set(i.resourceConformsTo, (offered.get(i.resourceConformsTo) ?? 0) + 1);
      continue;
    }
    const mode = modeOf(i);
    if (mode === null) continue;
    const key = `${mode} ${i.resourceConformsTo}`;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  const out: AgentProposal[] = [];
  for (const [key, needs] of [...groups].sort((a, b) => cmp(a[0], b[0]))) {
    const firstPerPerson = onePerPerson(needs);
    if (firstPerPerson.length < minPeople) continue;
    const mode = key.slice(0, key.indexOf(' ')) as Mode;
    out.push(pool(input, mode, firstPerPerson.slice(0, maxSubjects), offered.get(needs[0].resourceConformsTo) ?? 0, { w, minPeople }));
  }
  return finish(input, unique(out));
}

/** Each person's oldest need in the group (ties by id): one voice per person, oldest first. */
function onePerPerson(needs: readonly Intent[]): Intent[] {
  const sorted = [...needs].sort((a, b) => a.created - b.created || cmp(a.id, b.id));
  const seen = new Set<string>();
  return sorted.filter((i) => !seen.has(i.author) && seen.add(i.author));
}

/** Total quantity when every need counts in one unit; otherwise there is no honest sum. */
function total(needs: readonly Intent[]): { amount: number; unit: string } | null {
  const unit = needs[0].resourceQuantity?.hasUnit;
  if (unit === undefined || !needs.every((n) => n.resourceQuantity?.hasUnit === unit)) return null;
  return { amount: needs.reduce((s, n) => s + (n.resourceQuantity?.hasNumericalValue ?? 0), 0), unit };
}

interface Ctx {
  w: Record<'people' | 'area' | 'offers', number>;
  minPeople: number;
}

function pool(input: AgentInput, mode: Mode, needs: readonly Intent[], offers: number, c: Ctx): AgentProposal {
  const category = needs[0].resourceConformsTo;
  const what = categoryName(input, category);
  const people = needs.length;
  const top = topArea(needs);
  const where = top.area === null ? '—' : areaName(input, top.area);
  const sum = total(needs);
  const explanation = [
    fact(`${K}.people`, '{people} people need {what} right now.', { people, what }, c.w.people),
    fact(`${K}.area`, '{percent} % of them are in {area}.', { percent: Math.round(top.share * 100), area: where }, c.w.area),
    fact(`${K}.offers`, 'Open offers of {what} already: {offers}.', { offers, what }, c.w.offers),
  ];
  if (sum) explanation.push(fact(`${K}.total`, 'Together they need {amount} {unit}.', { amount: round2(sum.amount), unit: sum.unit }));
  const ends = needs.map((n) => n.expires).filter((x): x is number => x !== undefined);
  const score = c.w.people * Math.min(1, people / (2 * c.minPeople)) + c.w.area * top.share + c.w.offers * (offers > 0 ? 1 : 0);
  return propose('ConquestOfBread', {
    kind: mode,
    subjects: needs.map((n) => n.id).sort(cmp),
    summaryKey: `${K}.${mode}`,
    summaryTemplate:
      mode === 'bulk-pool'
        ? '{people} people need {what}: gather it once, in bulk, and share it out?'
        : '{people} people need to use {what}: share one between them?',
    summaryParams: { people, what },
    explanation,
    score: round2(score),
    expires: ends.length === needs.length ? Math.max(...ends) : input.now + 7 * DAY,
  });
}

export const conquestOfBread: Agent = { name: 'ConquestOfBread', run };
