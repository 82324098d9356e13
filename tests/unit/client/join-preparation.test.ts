import { describe, expect, it } from 'vitest';
import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { JoinPreparation } from '../../../src/client/join-preparation.ts';

/** A paint the test lets happen, and a key maker that counts. */
function harness(prepareRepo?: (wanted: () => boolean) => Promise<void>) {
  let paint!: () => void;
  const painted = new Promise<void>((r) => (paint = r));
  const made: Identity[] = [];
  const prep = new JoinPreparation(() => painted, prepareRepo, () => {
    const me = createIdentity();
    made.push(me);
    return me;
  });
  return { prep, made, paint: async () => (paint(), await painted, await Promise.resolve()) };
}

describe('client: what a newcomer’s join needs, made while they answer', () => {
  it('Scenario: the keys made while a newcomer answers are the ones they join with, made after the screen painted, once', async () => {
    let readied = 0;
    const { prep, made, paint } = harness(async () => void readied++);
    prep.start();
    prep.start(); // the welcome screen mounted again
    expect(made).toHaveLength(0); // nothing competes with the first paint
    await paint();
    expect(made).toHaveLength(1);
    expect(readied).toBe(1);
    expect(prep.identity()).toBe(made[0]);
    // A second join attempt (the first was refused) gets keys of its own, never the same ones twice.
    const again = prep.identity();
    expect(made).toHaveLength(2);
    expect(again).toBe(made[1]);
  });

  it('Scenario: a join before the preparation ran makes its keys then, and sync code that could not be fetched is left to the join', async () => {
    const { prep, made, paint } = harness(async () => {
      throw new TypeError('Failed to fetch dynamically imported module');
    });
    const early = prep.identity();
    expect(made).toEqual([early]);
    prep.start();
    await paint(); // the failed fetch is swallowed here (an unhandled rejection would fail this file)
    expect(made).toHaveLength(2);
  });

  it('Scenario: what is prepared ahead stops being wanted once the join begins', async () => {
    let wanted: (() => boolean) | undefined;
    const { prep, paint } = harness(async (w) => void (wanted = w));
    prep.start();
    await paint();
    expect(wanted?.()).toBe(true);
    prep.joined();
    expect(wanted?.()).toBe(false);
  });
});
