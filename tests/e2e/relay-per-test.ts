import { test } from './fixtures.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';

/**
 * A real relay process of its own for every test of the file — started before each, cleaned up after —
 * in one line instead of the same beforeEach/afterEach pair in each spec. The object returned stands for
 * the current test's relay (`relay.url`, `relay.dataDir`, …); touched outside a test it throws.
 */
export function relayPerTest(): RelayProcess {
  let current: RelayProcess | undefined;
  test.beforeEach(async () => {
    current = await startRelayProcess();
  });
  test.afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return new Proxy({} as RelayProcess, {
    get(_target, key) {
      if (!current) throw new Error('the relay exists only inside a test');
      const value: unknown = Reflect.get(current, key);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
