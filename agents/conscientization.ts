/**
 * Conscientization: reads recurring themes in the community's needs and proposes learning circles, so
 * that people who share a problem can study its causes together. Clustering is plain keywords: each need
 * (any status, created within `windowDays`) votes for the themes of a small table whose words it uses,
 * and for its own content words. A theme is recurring when at least `minPeople` different people raised
 * it in at least `minWeeks` different weeks (a sudden burst is CounterPower's business). Overlapping
 * themes are merged greedily, largest first, at most `maxCircles`.
 *
 * Score = people × w.people + recurrence × w.recurrence, with people = min(1, people / (2·minPeople)),
 * recurrence = min(1, weeks / 4). Settings: `windowDays` 90 (7..730), `minPeople` 4 (2..1000),
 * `minWeeks` 2 (1..52), `maxCircles` 3 (1..20), `weight.people` 0.6, `weight.recurrence` 0.4.
 */
import type { Intent } from '../src/core/model/types.ts';
import { Budget } from './lib/budget.ts';
import { cmp } from './lib/order.ts';
import { fact, finish, propose, round2, unique } from './lib/proposal.ts';
import { intSetting, weightsFromKeys } from './lib/settings.ts';
import { contentWords, listWords } from './lib/text.ts';
import { word } from './lib/words.ts';
import { DAY } from './lib/time.ts';
import { seenIntents } from './lib/visibility.ts';
import type { Agent, AgentInput, AgentProposal } from './types.ts';

const K = 'agents.conscientization';
export const CIRCLE_DEFAULT_WEIGHTS = { people: 0.6, recurrence: 0.4 };
const WEEK = 7 * DAY;

/** Theme → the (stemmed) words that point to it; its circle's name is the app's word `agents.theme.<theme>` (agents/lib/words.ts). */
export const THEMES: Readonly<Record<string, { words: readonly string[] }>> = {
  housing: { words: ['rent', 'landlord', 'eviction', 'evicted', 'housing', 'lease', 'deposit', 'mold', 'mould', 'shelter', 'tenant'] },
  energy: { words: ['heating', 'heater', 'electricity', 'power', 'bill', 'fuel', 'firewood', 'gas', 'cold', 'insulation'] },
  food: { words: ['food', 'grocery', 'meal', 'hunger', 'bread', 'vegetable', 'flour', 'rice', 'bean'] },
  health: { words: ['medicine', 'doctor', 'clinic', 'prescription', 'dental', 'dentist', 'health', 'pharmacy', 'nurse'] },
  water: { words: ['water', 'well', 'filter', 'drinking'] },
  childcare: { words: ['childcare', 'babysit', 'babysitter', 'babysitting', 'kid', 'child', 'children', 'nanny'] },
  transport: { words: ['bus', 'ride', 'lift', 'transport', 'car', 'fare'] },
  work: { words: ['job', 'wage', 'boss', 'unemployed', 'unemployment', 'paycheck', 'shift'] },
};

const WORD_THEME = new Map<string, string>();
for (const [theme, t] of Object.entries(THEMES)) for (const w of t.words) WORD_THEME.set(w, theme);

interface Cluster {
  key: string;
  label: string;
  needs: Intent[];
  people: Set<string>;
  weeks: Set<number>;
}

function run(input: AgentInput): AgentProposal[] {
  const steps = new Budget(input);
  const window = intSetting(input, 'windowDays', 90, 7, 730) * DAY;
  const minPeople = intSetting(input, 'minPeople', 4, 2, 1000);
  const minWeeks = intSetting(input, 'minWeeks', 2, 1, 52);
  const maxCircles = intSetting(input, 'maxCircles', 3, 1, 20);
  const clusters = new Map<string, Cluster>();
  for (const need of seenIntents(input, 'need')) {
    if (!steps.spend()) break;
    if (need.created > input.now || need.created <= input.now - window) continue;
    for (const key of keysOf(need)) addTo(clusters, key, need);
  }
  const recurring = [...clusters.values()].filter((c) => c.people.size >= minPeople && c.weeks.size >= minWeeks);
  const chosen = merge(recurring, maxCircles);
  const w = weightsFromKeys(input, CIRCLE_DEFAULT_WEIGHTS);
  return finish(input, unique(chosen.map((c) => circle(input, c, { w, minPeople, window }))));
}

/** A need's theme keys: table themes it touches, and its own content words outside the table. */
function keysOf(need: Intent): string[] {
  const keys = new Set<string>();
  for (const w of contentWords(`${need.name} ${need.note}`)) {
    const theme = WORD_THEME.get(w);
    keys.add(theme === undefined ? `word:${w}` : `theme:${theme}`);
  }
  return [...keys];
}

function addTo(clusters: Map<string, Cluster>, key: string, need: Intent): void {
  let c = clusters.get(key);
  if (!c) {
    // A table theme is named in the reader's language; a single word is the member's own.
    const label = key.startsWith('theme:') ? word(`agents.theme.${key.slice(6)}`) : key.slice(5);
    clusters.set(key, (c = { key, label, needs: [], people: new Set(), weeks: new Set() }));
  }
  c.needs.push(need);
  c.people.add(need.author);
  c.weeks.add(Math.floor(need.created / WEEK));
}

/**
 * Largest first (table themes before single words on a tie); a cluster whose needs are mostly (≥ half)
 * in one already chosen says the same thing and is dropped.
 */
function merge(clusters: readonly Cluster[], max: number): Cluster[] {
  const order = [...clusters].sort(
    (a, b) => b.people.size - a.people.size || Number(b.key.startsWith('theme:')) - Number(a.key.startsWith('theme:')) || cmp(a.key, b.key),
  );
  const chosen: Cluster[] = [];
  for (const c of order) {
    if (chosen.length >= max) break;
    const ids = new Set(c.needs.map((n) => n.id));
    const same = chosen.some((k) => k.needs.filter((n) => ids.has(n.id)).length * 2 >= ids.size);
    if (!same) chosen.push(c);
  }
  return chosen;
}

interface Ctx {
  w: Record<'people' | 'recurrence', number>;
  minPeople: number;
  window: number;
}

function circle(input: AgentInput, c: Cluster, x: Ctx): AgentProposal {
  const people = c.people.size;
  const weeks = c.weeks.size;
  const examples = [...c.needs]
    .sort((a, b) => b.created - a.created || cmp(a.id, b.id))
    .slice(0, 3)
    .map((n) => `“${n.name}”`);
  return propose('Conscientization', {
    kind: 'learning-circle',
    subjects: [c.key],
    summaryKey: `${K}.summary`,
    summaryTemplate: '{people} people have raised needs about {topic} in {weeks} different weeks: start a learning circle on it?',
    summaryParams: { people, topic: c.label, weeks },
    explanation: [
      fact(`${K}.people`, '{people} different people raised it in the last {days} days.', { people, days: x.window / DAY }, x.w.people),
      fact(`${K}.recurrence`, 'It came up in {weeks} different weeks: a lasting problem, not a one-off.', { weeks }, x.w.recurrence),
      fact(`${K}.examples`, 'For example: {examples}.', { examples: listWords(examples) }),
    ],
    score: round2(x.w.people * Math.min(1, people / (2 * x.minPeople)) + x.w.recurrence * Math.min(1, weeks / 4)),
    expires: input.now + 14 * DAY,
  });
}

export const conscientization: Agent = { name: 'Conscientization', run };
