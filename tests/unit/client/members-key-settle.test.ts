import { afterEach, describe, expect, it, vi } from 'vitest';
import { keyIssuers, MembersKey } from '../../../src/client/members-key.ts';
import { SETTLE_MS } from '../../../src/client/vouch-graph-settled.ts';
import { until } from './harness.ts';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();
afterEach(() => vi.useRealTimers());

// openspec/specs/audience — a steward's phone rotates the members' key only on a complete vouch graph.
describe("client: the members' key on a steward's phone that restarts slowly (issue #17)", () => {
  it("Scenario: a steward's phone still reading its own copy of the feeds rotates no key, however long that takes", async () => {
    const { ana, ben, benId } = await suite.founderAndNewcomer();
    await until(() => ben.phone.membersKey.state.state.epochs.length > 0, "Ben's phone holds the members' key");
    await until(() => ana.phone.community.feedsRead() && ana.phone.community.feedsLoaded(), "Ana's phone has read both feeds");

    // Ana's phone as it is just after a restart with a big community: the community doc is here, the
    // feeds are still being read, so the vouch graph has no vouch yet and Ben looks as if he lost standing.
    let reading = true;
    const community = ana.phone.community;
    const me = ana.phone.session.me!;
    const steward = new MembersKey({
      me,
      community: () => ana.phone.docs.community,
      feed: () => ana.phone.docs.feed,
      shared: () => {
        const signed = community.signed!;
        // As the phone decides: the signed steward set of a founded community, else the founder's own phone.
        const stewards = signed.founder !== undefined ? keyIssuers(signed) : [me.agentId];
        return { vouches: [], stewards, members: signed.members, thresholds: ana.phone.trust.thresholds, removed: signed.settings.removed };
      },
      feedsLoaded: () => false,
      feedsRead: () => !reading,
      keysChanged: () => undefined,
      wrote: async () => undefined,
    });
    const envelopes = () => Object.keys(ana.phone.docs.community!.doc()!.audienceKeys ?? {}).length;
    const before = envelopes();
    try {
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
      await steward.settle();
      vi.advanceTimersByTime(3 * SETTLE_MS); // reading its own copy takes a minute
      await steward.settle();
      expect(steward.state.state.rotations).toBe(0);
      expect(envelopes()).toBe(before);

      // Reading done: the feeds still missing get SETTLE_MS from now to come, not from the start.
      reading = false;
      await steward.settle();
      vi.advanceTimersByTime(SETTLE_MS / 2);
      await steward.settle();
      expect(steward.state.state.rotations).toBe(0);
      expect(envelopes()).toBe(before);

      // Still no vouch for Ben after that: the graph is what this phone can have, and the key rotates.
      vi.advanceTimersByTime(SETTLE_MS);
      await steward.settle();
      expect(steward.state.state.rotations).toBe(1);
      expect(envelopes()).toBeGreaterThan(before);
      expect(ana.phone.community.state.state.members[benId]).toBe('Ben');
    } finally {
      steward.stop();
    }
  });
});
