/**
 * EducationPathfinder: proposes skill shares — a member who offers a skill, and the members whose needs
 * ask to learn it. A teaching offer is an open offer with action 'work' or in a skills category; a
 * learning need is an open need whose words ask to learn (learn, teach, lesson, class, workshop, …) or
 * that sits in a skills category. They match when their titles share a content word.
 *
 * Score of a skill share = topic × w.topic + area × w.area + group × w.group, where topic is the mean
 * word overlap of the learners with the offer, area the share of learners in the teacher's area, group
 * = min(1, learners / groupSize). Settings: `weight.topic` 0.6, `weight.area` 0.25, `weight.group` 0.15;
 * `groupSize` 4 (1..50); `maxLearners` 6 (1..50); `skillCategories` (category ids; default: those whose
 * id or name mentions skill, teach, learn, lesson, class, course or workshop).
 */
import type { Intent } from '../src/core/model/types.ts';
import { Budget } from './lib/budget.ts';
import { areaName } from './lib/community.ts';
import { memberNames } from './lib/names.ts';
import { cmp } from './lib/order.ts';
import { fact, finish, propose, round2, unique } from './lib/proposal.ts';
import { intSetting, stringListSetting, weightsFromKeys } from './lib/settings.ts';
import { contentWords, listWords } from './lib/text.ts';
import { DAY } from './lib/time.ts';
import { visibleIntents } from './lib/visibility.ts';
import type { Agent, AgentInput, AgentProposal } from './types.ts';

const K = 'agents.education';
export const SKILL_SHARE_DEFAULT_WEIGHTS = { topic: 0.6, area: 0.25, group: 0.15 };
const SKILLISH = /skill|teach|learn|lesson|class|course|workshop/i;
const LEARN_CUE = /\b(learn\w*|teach(es|ing)?|lessons?|class(es)?|courses?|workshops?|tutor\w*|how to|show me)\b/i;
/** Words that say "learning" rather than what is learned: they never make two posts about the same skill. */
const CUE_WORDS = new Set(['learn', 'learning', 'teach', 'teaching', 'lesson', 'class', 'course', 'workshop', 'tutor', 'tutoring', 'how', 'show', 'skill', 'basic', 'beginner']);

function skillCategories(input: AgentInput): Set<string> {
  const set = stringListSetting(input, 'skillCategories', []);
  if (set.length > 0) return new Set(set);
  const out = new Set<string>();
  for (const [id, c] of Object.entries(input.community.categories)) {
    if (SKILLISH.test(id) || (typeof c?.name === 'string' && SKILLISH.test(c.name))) out.add(id);
  }
  return out;
}

const topicWords = (i: Intent): string[] => contentWords(i.name).filter((w) => !CUE_WORDS.has(w));

/** Share of the smaller set's words found in the other: "bike repair" vs "learn to repair my bike" = 1. */
function overlap(a: ReadonlySet<string>, b: readonly string[]): number {
  if (a.size === 0 || b.length === 0) return 0;
  let shared = 0;
  for (const w of b) if (a.has(w)) shared++;
  return shared / Math.min(a.size, b.length);
}

interface Learner {
  need: Intent;
  topic: number;
}

function run(input: AgentInput): AgentProposal[] {
  const steps = new Budget(input);
  const skills = skillCategories(input);
  const w = weightsFromKeys(input, SKILL_SHARE_DEFAULT_WEIGHTS);
  const groupSize = intSetting(input, 'groupSize', 4, 1, 50);
  const maxLearners = intSetting(input, 'maxLearners', 6, 1, 50);
  const open = visibleIntents(input);
  const teach = open.filter((i) => i.kind === 'offer' && (i.action === 'work' || skills.has(i.resourceConformsTo)));
  const learn = open.filter((i) => i.kind === 'need' && (LEARN_CUE.test(`${i.name} ${i.note}`) || skills.has(i.resourceConformsTo)));
  const learnWords = learn.map(topicWords);
  const byWord = wordIndex(learnWords);
  const names = memberNames(input.members);
  const out: AgentProposal[] = [];
  for (const offer of teach) {
    const ow = topicWords(offer);
    const owSet = new Set(ow);
    const learners: Learner[] = [];
    // Only needs sharing a word with the offer can match: look them up instead of trying every need.
    for (const j of candidates(ow, byWord)) {
      if (!steps.spend()) return finish(input, unique(out));
      const need = learn[j];
      if (need.author === offer.author) continue;
      learners.push({ need, topic: overlap(owSet, learnWords[j]) });
    }
    if (learners.length === 0) continue;
    learners.sort((a, b) => b.topic - a.topic || cmp(a.need.id, b.need.id));
    out.push(skillShare(input, offer, dedupeAuthors(learners).slice(0, maxLearners), { w, groupSize, names }));
  }
  return finish(input, unique(out));
}

function wordIndex(wordLists: readonly (readonly string[])[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  wordLists.forEach((ws, j) => {
    for (const w of ws) {
      const list = index.get(w);
      if (list) list.push(j);
      else index.set(w, [j]);
    }
  });
  return index;
}

/** Indexes of the needs that share at least one of `ws`, ascending. */
function candidates(ws: readonly string[], index: Map<string, number[]>): number[] {
  const out = new Set<number>();
  for (const w of ws) for (const j of index.get(w) ?? []) out.add(j);
  return [...out].sort((a, b) => a - b);
}

/** One learner per person: their best-matching need. */
function dedupeAuthors(learners: readonly Learner[]): Learner[] {
  const seen = new Set<string>();
  return learners.filter((l) => !seen.has(l.need.author) && seen.add(l.need.author));
}

interface Ctx {
  w: Record<'topic' | 'area' | 'group', number>;
  groupSize: number;
  names: Map<string, string>;
}

function skillShare(input: AgentInput, offer: Intent, learners: readonly Learner[], c: Ctx): AgentProposal {
  const topic = learners.reduce((s, l) => s + l.topic, 0) / learners.length;
  const near = offer.atLocation === undefined ? 0 : learners.filter((l) => l.need.atLocation === offer.atLocation).length;
  const area = near / learners.length;
  const group = Math.min(1, learners.length / c.groupSize);
  const teacher = c.names.get(offer.author) ?? offer.author;
  const people = listWords(learners.map((l) => c.names.get(l.need.author) ?? l.need.author));
  const where = offer.atLocation === undefined ? '—' : areaName(input, offer.atLocation);
  const ends = [offer.expires, ...learners.map((l) => l.need.expires)].filter((x): x is number => x !== undefined);
  return propose('EducationPathfinder', {
    kind: 'skill-share',
    subjects: [offer.id, ...learners.map((l) => l.need.id).sort(cmp)],
    summaryKey: `${K}.summary`,
    summaryTemplate: '{teacher} could share “{skill}” with {people}.',
    summaryParams: { teacher, skill: offer.name, people, learners: learners.length },
    explanation: [
      fact(`${K}.topic`, 'What they want to learn matches “{skill}” ({percent} % of the words).', { skill: offer.name, percent: Math.round(topic * 100) }, c.w.topic),
      fact(`${K}.area`, '{near} of {learners} learners are in {area}, where {teacher} is.', { near, learners: learners.length, area: where, teacher }, c.w.area),
      fact(`${K}.group`, '{learners} people want to learn it (a group of {groupSize} is ideal).', { learners: learners.length, groupSize: c.groupSize }, c.w.group),
    ],
    score: round2(c.w.topic * topic + c.w.area * area + c.w.group * group),
    expires: ends.length > 0 ? Math.min(...ends) : input.now + 14 * DAY,
  });
}

export const educationPathfinder: Agent = { name: 'EducationPathfinder', run };
