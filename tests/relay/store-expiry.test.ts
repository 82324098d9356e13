import { describe, expect, it, vi } from 'vitest';
import { fileNameFor, isBundleName } from '../../relay/dtn/store/index.ts';
import { bundleStoreFixture, T0 } from '../helpers/bundle-store-fixture.ts';
import { filesIn } from './fixtures/store-payload.ts';

// openspec/specs/bundle-store/spec.md — expired bundles are hidden at once and swept.
// No headroom for local data unless a test asks: these scenarios are about the budget itself.
const fx = bundleStoreFixture({ defaults: { localHeadroom: 0 }, size: 100 });

describe('bundle store: expiry', () => {
  it('Scenario: expired bundles are hidden at once and removed by a sweep', async () => {
    const s = await fx.open();
    await fx.put(s, 'short', { expiresAt: T0 + 1000 });
    await fx.put(s, 'long', { expiresAt: T0 + 10_000 });
    fx.clock = T0 + 1000;
    expect(s.has('short')).toBe(false);
    expect(await s.get('short')).toBeUndefined();
    expect(s.list().map((m) => m.id)).toEqual(['long']);
    expect(s.ids()).toEqual(['long']);
    expect(await s.sweepExpired()).toBe(1);
    expect([...(await filesIn(fx.dir)).keys()]).toEqual([fileNameFor('long')]);
    expect(s.stats().count).toBe(1);
  });

  it('Scenario: an already-expired bundle is not stored', async () => {
    const s = await fx.open();
    expect(await fx.put(s, 'dead', { expiresAt: T0 })).toBe('expired');
    expect((await filesIn(fx.dir)).size).toBe(0);
  });

  it('Scenario: open sweeps expired bundles', async () => {
    const s = await fx.open();
    await fx.put(s, 'soon', { expiresAt: T0 + 5 });
    await s.close();
    fx.clock = T0 + 5;
    const s2 = await fx.open();
    expect(s2.stats().count).toBe(0);
    expect((await filesIn(fx.dir)).size).toBe(0);
  });

  it('Scenario: the sweeper removes expired bundles periodically until stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const s = await fx.open();
      await fx.put(s, 'e1', { expiresAt: T0 + 100 });
      await fx.put(s, 'e2', { expiresAt: T0 + 300 });
      s.startSweeper(1000);
      fx.clock = T0 + 100;
      vi.advanceTimersByTime(1000);
      // the index drops expired entries synchronously; close() waits for the unlinks
      expect(s.stats().count).toBe(1);
      s.stopSweeper();
      fx.clock = T0 + 300;
      vi.advanceTimersByTime(5000);
      expect(s.stats().count).toBe(1);
      await s.close();
      expect([...(await filesIn(fx.dir)).keys()].filter(isBundleName)).toEqual([fileNameFor('e2')]);
    } finally {
      vi.useRealTimers();
    }
  });
});
