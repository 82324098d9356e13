import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'native-bridge/**/*.test.ts', 'agents/**/*.test.ts'],
          environment: 'node',
          // A limit on hangs, not a speed check: property tests take minutes on a machine at load 16.
          testTimeout: 120_000,
          // vitest's default on 2 cores is one worker (cores - 1); its main process is mostly idle.
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
        },
      },
      {
        test: {
          name: 'mesh',
          globalSetup: ['tests/global-setup.ts'],
          include: ['tests/mesh/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 120_000,
          // Two files at a time: each makes its own namespaces, named by pid, with a subnet per worker
          // (tests/helpers/islands.ts).
          maxWorkers: 2,
        },
      },
    ],
  },
});
