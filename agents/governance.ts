/**
 * GovernanceCircle: proposes the next step of community decisions (open a consent round when the
 * discussion has ended, answer a round before it closes, talk through an objection, record the outcome).
 * It never decides: every step is a record a person signs in the app.
 *
 * Settings: `remindHours` (default 24, 1..336) — how long before a round closes members who have not
 * answered are reminded; `quorum` (default 3, 1..1000) — consents needed before the agent suggests
 * recording "adopted".
 */
import { Budget } from './lib/budget.ts';
import { memberNames } from './lib/names.ts';
import { type Draft, fact, finish, propose, unique } from './lib/proposal.ts';
import { intSetting, realSetting } from './lib/settings.ts';
import { listWords } from './lib/text.ts';
import { DAY, HOUR } from './lib/time.ts';
import { decisionState, type DecisionState, type GovernanceMemberRecords } from './governance-records.ts';
import type { Agent, AgentInput, AgentProposal } from './types.ts';

const K = 'agents.governance';

/** Decision records the viewer may see: each checked against its own author and audience. */
function visibleDecisionRecords(input: AgentInput, steps: Budget): unknown[] {
  const out: unknown[] = [];
  for (const m of input.members as readonly GovernanceMemberRecords[]) {
    for (const r of m.decisions ?? []) {
      if (!steps.spend()) return out;
      if (typeof r !== 'object' || r === null) continue;
      const { author, audience } = r as { author?: unknown; audience?: unknown };
      if (author !== m.agentId) continue;
      if (audience !== 'public' && audience !== 'local' && audience !== 'trusted' && audience !== 'private') continue;
      if (input.canSee(author, audience)) out.push(r);
    }
  }
  return out;
}

function run(input: AgentInput): AgentProposal[] {
  const steps = new Budget(input);
  const remind = realSetting(input, 'remindHours', 24, 1, 336) * HOUR;
  const quorum = intSetting(input, 'quorum', 3, 1, 1000);
  const names = memberNames(input.members);
  const out: AgentProposal[] = [];
  for (const s of decisionState(visibleDecisionRecords(input, steps), input.now).values()) {
    if (!steps.spend()) break;
    const d = nextStep(input, s, { remind, quorum, names });
    if (d) out.push(propose('GovernanceCircle', d));
  }
  return finish(input, unique(out));
}

interface Ctx {
  remind: number;
  quorum: number;
  names: Map<string, string>;
}

function nextStep(input: AgentInput, s: DecisionState, c: Ctx): Draft | null {
  const mine = s.facilitator === input.viewer;
  switch (s.phase) {
    case 'awaiting-round':
      return mine ? openRound(input, s) : null;
    case 'round-open':
      if (mine && s.objections.length > 0) return addressObjections(s, c);
      return answered(s, input.viewer) ? null : reminder(input, s, c);
    case 'round-closed':
      return mine ? recordOutcome(input, s, c) : null;
    default:
      return null;
  }
}

const answered = (s: DecisionState, who: string): boolean =>
  s.consents.some((p) => p.author === who) || s.objections.some((p) => p.author === who);

function openRound(input: AgentInput, s: DecisionState): Draft {
  const days = Math.floor((input.now - s.discussionEnds) / DAY);
  const next = s.lastRound + 1;
  return {
    kind: 'open-consent-round',
    subjects: [s.key, `round:${next}`],
    summaryKey: `${K}.openRound`,
    summaryTemplate: 'The discussion of “{title}” has ended: open consent round {round}?',
    summaryParams: { title: s.title, round: next },
    explanation: [
      fact(`${K}.discussionEnded`, 'The discussion period ended {days} days ago.', { days }),
      fact(`${K}.youFacilitate`, 'You wrote this draft, so you open its rounds.'),
    ],
    // Waiting longer makes the step more pressing, up to a week.
    score: 0.6 + 0.3 * Math.min(1, days / 7),
    expires: input.now + 7 * DAY,
  };
}

function reminder(input: AgentInput, s: DecisionState, c: Ctx): Draft | null {
  const left = (s.roundCloses as number) - input.now;
  if (left > c.remind) return null;
  const hours = Math.max(1, Math.ceil(left / HOUR));
  return {
    kind: 'consent-reminder',
    subjects: [s.key, `round:${s.round}`],
    summaryKey: `${K}.reminder`,
    summaryTemplate: 'Consent round {round} on “{title}” closes in {hours} hours: consent or object?',
    summaryParams: { title: s.title, round: s.round, hours },
    explanation: [
      fact(`${K}.closesSoon`, 'The round closes in {hours} hours.', { hours }),
      fact(`${K}.notAnswered`, 'You have not answered this round yet.'),
      fact(`${K}.answersSoFar`, 'Answers so far: {consents} consenting, {objections} objecting.', {
        consents: s.consents.length,
        objections: s.objections.length,
      }),
    ],
    score: 0.5 + 0.5 * (1 - left / c.remind),
    expires: s.roundCloses as number,
  };
}

function addressObjections(s: DecisionState, c: Ctx): Draft {
  const who = s.objections.map((p) => c.names.get(p.author) ?? p.author);
  return {
    kind: 'address-objections',
    subjects: [s.key, `round:${s.round}`],
    summaryKey: `${K}.addressObjections`,
    summaryTemplate: '{people} raised an objection to “{title}”: talk it through before the round closes?',
    summaryParams: { title: s.title, people: listWords(who), count: who.length },
    explanation: [
      fact(`${K}.objections`, 'Objections in round {round}: {count}.', { count: who.length, round: s.round }),
      fact(`${K}.objectionMeaning`, 'An objection means the proposal cannot pass as it stands; it is an invitation to improve it.'),
    ],
    score: 0.8,
    expires: s.roundCloses as number,
  };
}

/** What the answers suggest; the facilitator records whatever the circle actually decided. */
function recordOutcome(input: AgentInput, s: DecisionState, c: Ctx): Draft {
  const consents = s.consents.length;
  const objections = s.objections.length;
  const suggested = objections > 0 ? 'revise' : consents >= c.quorum ? 'adopted' : 'no-quorum';
  const templates = {
    adopted: 'Round {round} on “{title}” closed with {consents} consents and no objections: record it as adopted?',
    revise: 'Round {round} on “{title}” closed with {objections} objections: revise the draft, or record it as not adopted?',
    'no-quorum': 'Round {round} on “{title}” closed with only {consents} consents: open another round, or record the outcome?',
  };
  return {
    kind: 'record-outcome',
    subjects: [s.key, `round:${s.round}`],
    summaryKey: `${K}.outcome.${suggested}`,
    summaryTemplate: templates[suggested],
    summaryParams: { title: s.title, round: s.round, consents, objections },
    explanation: [
      fact(`${K}.roundClosed`, 'Round {round} closed.', { round: s.round }),
      fact(`${K}.consents`, 'Consenting: {consents}.', { consents }),
      fact(`${K}.objectionsCount`, 'Objecting: {objections}.', { objections }),
      fact(`${K}.quorum`, 'The community asks for at least {quorum} consents.', { quorum: c.quorum }),
    ],
    score: 0.9,
    expires: input.now + 14 * DAY,
  };
}

export const governanceCircle: Agent = { name: 'GovernanceCircle', run };
