import { defineConfig } from '@playwright/test';
import { launchOptions } from './tests/helpers/browser.ts';

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/global-setup.ts',
  // One limit on hangs for every scenario, not a speed check: the suite runs beside the vitest steps on
  // two cores, and under CI's load scenarios that take 10–20 s alone ran past 90 s (run 28: four of them,
  // with CPU held to 0.85 of a core to be as slow as CI). Per-test limits only where a scenario needs more.
  timeout: 240_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  // Three browsers on two cores: a phone scenario spends most of its time waiting on its relay and on
  // sync (two workers used 666 s of CPU in 679 s, i.e. one core), and every spec file starts relays of
  // its own on port 0, so a third file at once fills the idle core instead of lengthening the suite.
  workers: 3,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 360, height: 740 },
    launchOptions,
    trace: 'off',
  },
});
