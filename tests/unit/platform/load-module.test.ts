/** A part of the app's code fetched on demand (src/platform/load-module.ts), as a flaky mesh link serves it. */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/client/errors.ts';
import { loadModule } from '../../../src/platform/load-module.ts';

/** An import() whose first `failures` fetches fail as a browser's do (a TypeError), then succeeds. */
function flakyImport(failures: number) {
  let calls = 0;
  const load = async () => {
    calls++;
    if (calls <= failures) throw new TypeError('Failed to fetch dynamically imported module: /assets/repo.js');
    return { x: 42 };
  };
  return { load, calls: () => calls };
}

describe('loading part of the app on demand', () => {
  it('Scenario: a fetch that fails for a moment is tried again and the app goes on', async () => {
    const once = flakyImport(1);
    expect(await loadModule(once.load, [0, 0])).toEqual({ x: 42 });
    expect(once.calls()).toBe(2);
    const twice = flakyImport(2);
    expect(await loadModule(twice.load, [0, 0])).toEqual({ x: 42 });
    expect(twice.calls()).toBe(3);
  });

  it('Scenario: a part that cannot be fetched at all is reported in plain words, and a bug is not retried', async () => {
    const never = flakyImport(Infinity);
    const err = await loadModule(never.load, [0, 0]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe('error.appPartMissing');
    expect(never.calls()).toBe(3);
    let calls = 0;
    const broken = async () => {
      calls++;
      throw new RangeError('a bug in the module');
    };
    await expect(loadModule(broken, [0, 0])).rejects.toBeInstanceOf(RangeError);
    expect(calls).toBe(1);
  });
});
