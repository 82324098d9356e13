import { describe, expect, it } from 'vitest';
import '@automerge/automerge';
import { warmAutomerge } from '../../../src/platform/automerge-warmup.ts';

describe('platform: warming Automerge while a newcomer answers', () => {
  it('Scenario: the warm-up runs its steps one task each, and stops at the next step once the join begins', async () => {
    let pauses = 0;
    await warmAutomerge(() => true, async () => void pauses++);
    const all = pauses;
    expect(all).toBeGreaterThanOrEqual(4); // one pause after each step: a tap waits for one step at most

    let joined = false;
    let steps = 0;
    await warmAutomerge(() => !joined, async () => {
      steps++;
      if (steps === 2) joined = true; // the person taps Join during the second step
    });
    expect(steps).toBe(2);
  });
});
