import { defineConfig } from 'vitest/config';

/** Unit test files that use vi.mock (see the unit-mocked project). */
const MOCKING_FILES = ['tests/unit/vault/lock.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'native-bridge/**/*.test.ts', 'agents/**/*.test.ts'],
          exclude: MOCKING_FILES,
          environment: 'node',
          // A limit on hangs, not a speed check: property tests take minutes on a machine at load 16.
          testTimeout: 120_000,
          // vitest's default on 2 cores is one worker (cores - 1); its main process is mostly idle.
          maxWorkers: 2,
          // Files share a worker's module graph instead of importing it afresh: isolated, the 157 files
          // spent 88 s importing (363 s of CPU in all); shared, 23 s (about 220 s of CPU). Unit tests
          // keep no state in modules; the one file that replaces a module runs isolated below.
          isolate: false,
        },
      },
      {
        test: {
          // Files that replace a module with vi.mock: in a shared module graph the real module is
          // already loaded by an earlier file and the mock would not take.
          name: 'unit-mocked',
          include: MOCKING_FILES,
          environment: 'node',
          testTimeout: 120_000,
          // The same as unit's, so vitest runs both projects' files in one pool side by side.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'relay',
          globalSetup: ['tests/global-setup.ts'],
          include: ['tests/relay/**/*.test.ts', 'tests/adversary/**/*.test.ts'],
          environment: 'node',
          // Limits on hangs, not speed checks: at load 16 on 2 cores a relay scenario took 4 times its quiet time.
          testTimeout: 240_000,
          hookTimeout: 120_000,
          // Three files at a time on two cores: each starts its own relays on port 0 and data dirs of
          // its own, and most of a relay test is waiting on sockets and timers, not CPU.
          maxWorkers: 3,
          // Files share a worker's module graph, as unit files do: isolated, the 60 files spent 102 s
          // importing the same helpers and client code again (run 89). None mocks a module; each
          // relay runs in a process of its own either way.
          isolate: false,
        },
      },
      {
        test: {
          name: 'mesh',
          globalSetup: ['tests/global-setup.ts'],
          include: ['tests/mesh/**/*.test.ts'],
          environment: 'node',
          // A limit on hangs: the islands scenario posts 50 offers through a phone's form, and with CPU held
          // to CI's speed beside the other steps it ran past 300 s (run 28).
          testTimeout: 600_000,
          hookTimeout: 120_000,
          // Two files at a time: each makes its own namespaces, named by pid, with a subnet per worker
          // (tests/helpers/islands.ts).
          maxWorkers: 2,
        },
      },
    ],
  },
});
