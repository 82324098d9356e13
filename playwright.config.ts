import { defineConfig } from '@playwright/test';
import { launchOptions } from './tests/helpers/browser.ts';

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/global-setup.ts',
  timeout: 90_000,
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
