import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchOptions } from './browser.ts';
import type { Islands } from './islands.ts';
import { phoneReport } from './phone-report.ts';

/**
 * What every mesh test file needs: one Chromium for its phones, and its islands torn down afterwards.
 * Call at the top level of a test file.
 */
export function meshSuite() {
  let browser: Browser | undefined;
  let net: Islands | undefined;
  const phones: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await chromium.launch(launchOptions);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    // What each relay and phone saw, so a failure on a CI machine can be understood afterwards.
    if (net) console.log(await net.report());
    for (const [i, context] of phones.entries()) console.log(await phoneReport(context, i + 1));
  });
  afterAll(async () => {
    await browser?.close();
    await net?.cleanup();
  });
  return {
    /** Remembers the islands so they are cleaned up even when the test fails. */
    use(islands: Islands): Islands {
      net = islands;
      return islands;
    },
    /** A fresh phone (its own browser context) on the relay at `url`, app loaded. */
    async phone(url: string): Promise<Page> {
      const context = await browser!.newContext({ baseURL: url });
      phones.push(context);
      const page = await context.newPage();
      await page.goto('/');
      return page;
    },
  };
}
