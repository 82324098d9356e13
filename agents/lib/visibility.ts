/**
 * What the viewer may see (openspec/specs/agents/spec.md, "Trust gates" and "Derived data"). Intents
 * carry their audience; events, responses and commitments carry none and are as visible as the
 * intent they refer to, or 'trusted' (the stricter default, since they name people) when it is unknown.
 */
import type { Audience, Commitment, EconomicEvent, Intent, Proposal } from '../../src/core/model/types.ts';
import type { AgentInput } from '../types.ts';

/** Open intents the viewer may see, not expired at `now`. */
export function visibleIntents(input: AgentInput): Intent[] {
  const out: Intent[] = [];
  for (const m of input.members) {
    for (const i of m.intents) {
      if (i.status !== 'open') continue;
      if (i.expires !== undefined && i.expires <= input.now) continue;
      if (!input.canSee(i.author, i.audience)) continue;
      out.push(i);
    }
  }
  return out;
}

/**
 * Every intent (any status) the viewer may see, in member then record order. Agents that look at the
 * past (baselines, recurring themes) need fulfilled and withdrawn ones too, not only open ones.
 */
export function seenIntents(input: AgentInput, kind?: Intent['kind']): Intent[] {
  const out: Intent[] = [];
  for (const m of input.members) {
    for (const i of m.intents) {
      if (kind !== undefined && i.kind !== kind) continue;
      if (i.author !== m.agentId) continue; // a feed holds only its owner's records
      if (!input.canSee(i.author, i.audience)) continue;
      out.push(i);
    }
  }
  return out;
}

/** Every intent by id, any status, seen or not: only to look up the audience others borrow. */
export function allIntents(input: AgentInput): Map<string, Intent> {
  const m = new Map<string, Intent>();
  for (const member of input.members) for (const i of member.intents) m.set(i.id, i);
  return m;
}

/** The audience of the intent `intentId`, or 'trusted' when there is none or it is unknown. */
export function audienceOf(intents: Map<string, Intent>, intentId: string | undefined): Audience {
  const i = intentId === undefined ? undefined : intents.get(intentId);
  return i ? i.audience : 'trusted';
}

/** audienceOf over every intent of the input, as one function. */
export function audienceLookup(input: AgentInput): (intentId: string | undefined) => Audience {
  const intents = allIntents(input);
  return (id) => audienceOf(intents, id);
}

/** Events the viewer may see, up to `now`. */
export function visibleEvents(input: AgentInput, intents = allIntents(input)): EconomicEvent[] {
  const out: EconomicEvent[] = [];
  for (const m of input.members) {
    for (const e of m.events) {
      if (e.hasPointInTime > input.now) continue;
      if (input.canSee(e.author, audienceOf(intents, e.satisfies))) out.push(e);
    }
  }
  return out;
}

/** Intent ids someone has visibly answered (a Proposal or a Commitment): those are already moving. */
export function answeredIntents(input: AgentInput, known?: Map<string, Intent>): Set<string> {
  const out = new Set<string>();
  let intents = known;
  const see = (r: Proposal | Commitment, target: string | undefined) => {
    if (target === undefined) return;
    intents ??= allIntents(input);
    if (input.canSee(r.author, audienceOf(intents, target))) out.add(target);
  };
  for (const m of input.members) {
    for (const p of m.proposals) see(p, p.publishes);
    for (const c of m.commitments) see(c, c.satisfies);
  }
  return out;
}
