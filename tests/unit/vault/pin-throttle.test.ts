import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePinFailures, PIN_THROTTLE, pinDelayMs, pinWaitMs, wipeAfterWrongDue } from '../../../src/core/vault/index.ts';

describe('wrong-PIN throttle', () => {
  it('Scenario: three wrong PINs are free, then each try waits longer, up to an hour', () => {
    expect([0, 1, 2].map((n) => pinDelayMs(n))).toEqual([0, 0, 0]);
    expect(pinDelayMs(3)).toBe(30_000);
    expect(pinDelayMs(4)).toBe(60_000);
    expect(pinDelayMs(5)).toBe(120_000);
    expect(pinDelayMs(100)).toBe(PIN_THROTTLE.maxDelayMs);
    expect(pinWaitMs({ count: 3, last: 1_000 }, 11_000)).toBe(20_000);
    expect(pinWaitMs({ count: 3, last: 1_000 }, 31_000)).toBe(0);
    // A clock set back does not open the door early.
    expect(pinWaitMs({ count: 3, last: 50_000 }, 10_000)).toBe(30_000);
  });

  it('Scenario: the delay never shrinks as mistakes grow and never passes the ceiling', () => {
    fc.assert(
      fc.property(fc.nat(10_000), (n) => {
        expect(pinDelayMs(n + 1)).toBeGreaterThanOrEqual(pinDelayMs(n));
        expect(pinDelayMs(n)).toBeLessThanOrEqual(PIN_THROTTLE.maxDelayMs);
      }),
    );
  });

  it('Scenario: whatever is stored, it reads back as a count and a time, and damage never means "no wait"', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        const f = parsePinFailures(raw, 5_000);
        expect(Number.isFinite(f.count) && f.count >= 0).toBe(true);
        expect(Number.isFinite(f.last)).toBe(true);
      }),
    );
    expect(parsePinFailures(undefined, 1)).toEqual({ count: 0, last: 0 });
    expect(pinWaitMs(parsePinFailures({ count: 'lots' }, 5_000), 5_000)).toBeGreaterThan(0);
  });

  it('Scenario: the opt-in wipe is due at the chosen count, never when off', () => {
    expect(wipeAfterWrongDue({ count: 4, last: 0 }, 5)).toBe(false);
    expect(wipeAfterWrongDue({ count: 5, last: 0 }, 5)).toBe(true);
    expect(wipeAfterWrongDue({ count: 1000, last: 0 }, 0)).toBe(false);
  });
});
