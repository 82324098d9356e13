import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PollLoop } from '../../../src/client/poll-loop.ts';

const EVERY_MS = 1_000;

/** A step that counts its runs; the first `held` runs wait until `release()` (a hub slow to answer). */
function countingStep(held = 0) {
  let release!: () => void;
  const answer = new Promise<void>((resolve) => (release = resolve));
  const step = { runs: 0, release, run: async () => (step.runs++ <= held - 1 ? answer : undefined) };
  return step;
}

/** Lets a released step's await and what follows it run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('client: background polling', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('Scenario: a phone stopped while its hub is still answering polls no more', async () => {
    const step = countingStep(1);
    const loop = new PollLoop(EVERY_MS, step.run);
    loop.start();
    expect(step.runs).toBe(1);
    loop.stop();
    step.release();
    await settle();
    await vi.advanceTimersByTimeAsync(EVERY_MS * 10);
    expect(step.runs).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('Scenario: a link that comes up twice during one answer runs one loop, not two', async () => {
    const step = countingStep(1);
    const loop = new PollLoop(EVERY_MS, step.run);
    loop.start();
    loop.start(); // the second start's run is not held
    step.release();
    await settle();
    expect(step.runs).toBe(2);
    await vi.advanceTimersByTimeAsync(EVERY_MS * 5);
    expect(step.runs).toBe(2 + 5);
    expect(vi.getTimerCount()).toBe(1);
    loop.stop();
  });

  it('Scenario: a run that fails does not end the polling', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let runs = 0;
    const loop = new PollLoop(EVERY_MS, async () => {
      if (++runs === 1) throw new Error('hub gone mid-answer');
    });
    loop.start();
    await settle();
    await vi.advanceTimersByTimeAsync(EVERY_MS * 3);
    expect(runs).toBe(4);
    expect(warn).toHaveBeenCalledTimes(1);
    loop.stop();
    warn.mockRestore();
  });
});
