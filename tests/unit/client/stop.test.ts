import { createHook } from 'node:async_hooks';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SanctuaryDesk } from '../../../src/client/sanctuary.ts';
import { until } from './harness.ts';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();
const CLIENT = `${path.resolve(import.meta.dirname, '../../../src/client')}/`;

/**
 * Timers the phone's own code (src/client) set that have neither fired nor been cleared. A phone without a
 * browser (tests, a relay's island agents) must end cleanly: a timer left behind keeps its checks running
 * for as long as the process lives.
 */
const live = new Map<number, string>();
const hook = createHook({
  init(id, type) {
    if (type !== 'Timeout') return;
    const stack = new Error().stack ?? '';
    // A request's own deadline (AbortSignal.timeout) is unref'd and ends with its request: not a check.
    if (stack.includes(CLIENT) && !stack.includes('setWeakAbortSignalTimeout')) live.set(id, stack.split('\n').slice(5, 12).join('\n'));
  },
  destroy(id) {
    live.delete(id);
  },
});
beforeEach(() => void hook.enable());
afterEach(() => {
  hook.disable();
  live.clear();
});

/**
 * The phone's timers still alive, once those that were due have fired: Node reports a timer's end to async
 * hooks a moment after its callback ran, so a refresh queued just before the stop is seen as alive for a
 * while (run 93). Bounded: a loop that keeps polling after the stop never leaves the map empty.
 */
async function leftOver(): Promise<string[]> {
  for (let i = 0; i < 200 && live.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return [...live.values()];
}

describe('client: a stopped phone ends cleanly', () => {
  it('Scenario: two phones stopped mid-use leave no timer of their own behind', async () => {
    const { ana, ben } = await suite.founderAndNewcomer();
    await ana.phone.sanctuary.setUpChecked('steward', 30);
    await until(() => (ana.phone.sanctuaryState.state.sanctuary?.epochs.length ?? 0) > 0, 'the steward holds the first key');
    expect(live.size).toBeGreaterThan(0); // polling and refreshes were running
    ana.phone.stop();
    ben.phone.stop();
    expect(await leftOver()).toEqual([]);
  });

  it('Scenario: a steward phone still waiting for feeds refreshes its sanctuary no more once stopped', async () => {
    const { ana, ben } = await suite.founderAndNewcomer();
    await ana.phone.sanctuary.setUpChecked('steward', 30);
    await until(() => ana.phone.sanctuaryState.state.sanctuary?.exists === true, 'the sanctuary exists');
    ana.phone.stop();
    ben.phone.stop();
    expect(await leftOver()).toEqual([]);
    // The same desk as the phone's, on a phone still reading its feeds: it refreshes again every 2 s.
    let refreshes = 0;
    const docs = ana.phone.docs;
    const desk = new SanctuaryDesk({
      me: ana.phone.session.me!,
      repo: async () => docs.repo!,
      community: () => (refreshes++, docs.community),
      communityOpen: async () => docs.community,
      context: () => ana.phone.trust.readerContext(),
      shared: () => {
        const signed = ana.phone.community.signed!;
        return { vouches: [], stewards: [ana.phone.session.me!.agentId], members: signed.members, thresholds: ana.phone.trust.thresholds, removed: signed.settings.removed };
      },
      feedsLoaded: () => false,
      feedsRead: () => false,
      people: () => [],
      gate: (a) => ana.phone.trust.gate(a),
      wrote: async () => undefined,
    });
    desk.schedule();
    await until(() => desk.state.state.sanctuary?.exists === true, 'the desk read the sanctuary');
    expect([...live.values()].some((s) => s.includes('sanctuary.ts'))).toBe(true); // its next refresh is set
    desk.stop();
    const after = refreshes;
    expect(await leftOver()).toEqual([]);
    expect(refreshes).toBe(after);
  });
});
