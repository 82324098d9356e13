import { describe, expect, it } from 'vitest';
import { reloadAtNextMove } from '../../../src/platform/app-update.ts';

/** The page's window as the update logic uses it: hashchange listeners and a reload it counts. */
function page() {
  const listeners = new Set<() => void>();
  let reloads = 0;
  const win = {
    addEventListener: (type: string, f: () => void) => void (type === 'hashchange' && listeners.add(f)),
    removeEventListener: (type: string, f: () => void) => void (type === 'hashchange' && listeners.delete(f)),
    location: { reload: () => void reloads++ },
  } as unknown as Window;
  return { win, move: () => [...listeners].forEach((f) => f()), reloads: () => reloads, listeners };
}

describe('platform: a new version of the app waits for the next move', () => {
  it('Scenario: the reload comes at the next move between screens, after the docs are written out, once', async () => {
    const p = page();
    const order: string[] = [];
    const needReload = reloadAtNextMove({ settle: async () => void order.push('settled'), hold: () => false }, p.win);
    needReload();
    needReload(); // activated twice (two tabs): still one reload
    expect(p.reloads()).toBe(0); // nothing happens under the person's hands
    p.move();
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['settled']);
    expect(p.reloads()).toBe(1);
    p.move();
    expect(p.listeners.size).toBe(0);
  });

  it('Scenario: a PIN phone is not reloaded mid-move; a failed write-out still reloads', async () => {
    const p = page();
    let pin = true;
    reloadAtNextMove({ settle: () => Promise.reject(new Error('disk gone')), hold: () => pin }, p.win)();
    p.move();
    await new Promise((r) => setImmediate(r));
    expect(p.reloads()).toBe(0);
    pin = false;
    p.move();
    await new Promise((r) => setImmediate(r));
    expect(p.reloads()).toBe(1);
  });
});
