import { afterEach, describe, expect, it, vi } from 'vitest';
import { WhenQuiet } from '../../relay/quiet.ts';

afterEach(() => void vi.useRealTimers());

describe('background work waits for a quiet relay', () => {
  it('runs once after a burst of changes has paused, not during it', () => {
    vi.useFakeTimers();
    const run = vi.fn();
    const q = new WhenQuiet(run, 1_000, 30_000);
    // A bridge's docs arrive every 100 ms for 5 s.
    for (let t = 0; t < 5_000; t += 100) {
      q.poke();
      vi.advanceTimersByTime(100);
    }
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60_000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('never waits longer than its limit on an island that is never quiet', () => {
    vi.useFakeTimers();
    const run = vi.fn();
    const q = new WhenQuiet(run, 1_000, 10_000);
    for (let t = 0; t < 25_000; t += 200) {
      q.poke();
      vi.advanceTimersByTime(200);
    }
    expect(run).toHaveBeenCalledTimes(2);
    q.stop();
    vi.advanceTimersByTime(60_000);
    expect(run).toHaveBeenCalledTimes(2);
  });
});
