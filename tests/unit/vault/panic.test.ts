import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadManDue, idleLockDue, registerTap, runWipe, WIPE_ORDER, type TapState, type WipeStep } from '../../../src/core/vault/index.ts';

const H = 3_600_000;

describe('timers', () => {
  it("Scenario: the dead man's switch fires after 72 hours without an unlock", () => {
    expect(deadManDue(0, 72 * H - 1)).toBe(false);
    expect(deadManDue(0, 72 * H)).toBe(true);
    expect(deadManDue(0, 24 * H, 24)).toBe(true);
    expect(deadManDue(Number.NaN, 1e15)).toBe(false);
    expect(deadManDue(100 * H, 0)).toBe(false);
  });

  it('Scenario: the app locks itself after the idle time', () => {
    expect(idleLockDue(0, 5 * 60_000 - 1, 5)).toBe(false);
    expect(idleLockDue(0, 5 * 60_000, 5)).toBe(true);
    expect(idleLockDue(10_000, 0, 5)).toBe(true);
    expect(idleLockDue(Number.NaN, 0, 5)).toBe(true);
  });
});

describe('panic taps', () => {
  function tapAll(times: number[]): boolean[] {
    let state: TapState = [];
    return times.map((t) => {
      const r = registerTap(state, t);
      state = r.state;
      return r.triggered;
    });
  }

  it('Scenario: five taps in under three seconds trigger the wipe', () => {
    expect(tapAll([0, 500, 1000, 1500, 2000])).toEqual([false, false, false, false, true]);
    expect(tapAll([0, 700, 1400, 2100, 2999])).toEqual([false, false, false, false, true]);
    expect(tapAll([0, 750, 1500, 2250, 3000])).toEqual([false, false, false, false, false]);
    // A slow tap ages out; the window slides.
    expect(tapAll([0, 4000, 4100, 4200, 4300, 4400])).toEqual([false, false, false, false, false, true]);
  });

  it('Scenario: tap state stays bounded whatever the taps', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 200 }), (times) => {
        let state: TapState = [];
        for (const t of times) {
          state = registerTap(state, t).state;
          expect(state.length).toBeLessThan(5);
        }
      }),
    );
  });
});

describe('wipe order', () => {
  it('Scenario: a wipe deletes keys first, then IndexedDB, Cache Storage, the service worker, then leaves', async () => {
    const seen: WipeStep[] = [];
    const step = (s: WipeStep) => async () => void seen.push(s);
    const report = await runWipe({ leave: step('leave'), caches: step('caches'), keys: step('keys'), 'service-worker': step('service-worker'), indexeddb: step('indexeddb') });
    expect(seen).toEqual(['keys', 'indexeddb', 'caches', 'service-worker', 'leave']);
    expect(report).toEqual({ done: [...WIPE_ORDER], failed: [] });
  });

  it('Scenario: a failing wipe step does not stop the rest', async () => {
    const seen: WipeStep[] = [];
    const step = (s: WipeStep) => () => void seen.push(s);
    const report = await runWipe({
      keys: step('keys'),
      indexeddb: () => {
        throw new Error('blocked by an open connection');
      },
      caches: step('caches'),
      'service-worker': async () => Promise.reject(new Error('no registration')),
      leave: step('leave'),
    });
    expect(seen).toEqual(['keys', 'caches', 'leave']);
    expect(report.failed).toEqual([
      { step: 'indexeddb', error: 'blocked by an open connection' },
      { step: 'service-worker', error: 'no registration' },
    ]);
  });
});
