import { defineConfig } from '@playwright/test';
import { launchOptions } from './tests/helpers/browser.ts';

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 360, height: 740 },
    launchOptions,
    trace: 'off',
  },
});
