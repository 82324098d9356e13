import { describe, expect, it } from 'vitest';
import { deadManDue, idleLockDue, runWipe, WIPE_ORDER, type WipeStep } from '../../../src/core/vault/index.ts';

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
