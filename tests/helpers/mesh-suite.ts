import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, beforeAll } from 'vitest';
import { launchOptions } from './browser.ts';
import type { Islands } from './islands.ts';

/**
 * What every mesh test file needs: one Chromium for its phones, and its islands torn down afterwards.
 * Call at the top level of a test file.
 */
export function meshSuite() {
  let browser: Browser | undefined;
  let net: Islands | undefined;
  beforeAll(async () => {
    browser = await chromium.launch(launchOptions);
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
      const page = await (await browser!.newContext({ baseURL: url })).newPage();
      await page.goto('/');
      return page;
    },
  };
}
