/**
 * openspec/changes/agents-see-standing-events — the records every agent runner (phone and island relay)
 * hands to the agents carry only the hand-overs that still stand after "undo".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { giftFlow } from '../../../agents/gift-flow.ts';
import { memberRecords } from '../../../agents/lib/member-records.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { correctHandOver, recordHandOver } from '../../../src/core/model/event.ts';
import { createIntent } from '../../../src/core/model/intent.ts';
import type { EconomicEvent } from '../../../src/core/model/types.ts';
import { input, NOW } from '../../helpers/agents/communities.ts';

const HOUR = 3_600_000;
const me = createIdentity();
// A few posts of mine, made once: the property is about hand-overs and undos, not about posts.
const posts = ['Ladder', 'Bread', 'Drill'].map((title, k) => createIntent(me, { kind: 'offer', category: 'tools', title, description: '', audience: 'public' }, NOW - 10 * 24 * HOUR + k));

/** A person marks one of their posts given, or undoes an earlier hand-over (perhaps one already undone). */
const step = fc.oneof(fc.record({ give: fc.nat({ max: posts.length - 1 }) }), fc.record({ undo: fc.nat() }));

interface Feed {
  events: EconomicEvent[];
  /** What a person would see on "My posts": the ids of hand-overs no undo took back. */
  standing: Set<string>;
}

/** Plays the steps as the phone writes them, keeping the expected outcome independently of standingEvents. */
function play(steps: ReadonlyArray<{ give: number } | { undo: number }>): Feed {
  const handOvers: EconomicEvent[] = [];
  const events: EconomicEvent[] = [];
  const standing = new Set<string>();
  steps.forEach((s, k) => {
    const at = NOW - 5 * 24 * HOUR + k * HOUR;
    if ('give' in s) {
      const e = recordHandOver(me, posts[s.give], undefined, '', at);
      handOvers.push(e);
      events.push(e);
      standing.add(e.id);
    } else if (handOvers.length > 0) {
      const mistaken = handOvers[s.undo % handOvers.length];
      events.push(correctHandOver(me, mistaken, at));
      standing.delete(mistaken.id);
    }
  });
  return { events, standing };
}

const who = { agentId: me.agentId, name: 'Ana', joined: NOW - 30 * 24 * HOUR };

describe('agents see only standing hand-overs', () => {
  it('Scenario: a hand-over marked given and then undone is not counted by the agents', () => {
    const { events } = play([{ give: 0 }, { give: 1 }, { undo: 0 }]);
    const m = memberRecords(who, { intents: posts, events, proposals: [], commitments: [] });
    expect(m.events.map((e) => e.id)).toEqual([events[1].id]);
    const summary = giftFlow.run(input([m])).find((p) => p.kind === 'flow-summary');
    expect(summary?.summaryParams.handOvers).toBe(1);
  });

  it('Scenario: for any sequence of hand-overs and undos, in any feed order, the agents see exactly the hand-overs that still stand', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), fc.array(fc.double({ noNaN: true }), { maxLength: 12 }), (steps, order) => {
        const { events, standing } = play(steps);
        // A feed's records come out of a map in no promised order.
        const shuffled = events.map((e, k) => ({ e, key: order[k] ?? k })).sort((a, b) => a.key - b.key).map((x) => x.e);
        const m = memberRecords(who, { intents: posts, events: shuffled, proposals: [], commitments: [] });
        expect(new Set(m.events.map((e) => e.id))).toEqual(standing);
        expect(m.events).toHaveLength(standing.size);
        // And what an agent counts follows: GiftFlow's hand-overs are the standing ones, never the corrections.
        const summary = giftFlow.run(input([m])).find((p) => p.kind === 'flow-summary');
        expect(summary?.summaryParams.handOvers ?? 0).toBe(standing.size);
      }),
      { numRuns: 60 },
    );
  });
});
