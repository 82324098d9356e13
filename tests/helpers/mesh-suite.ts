import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchOptions } from './browser.ts';
import type { Islands } from './islands.ts';

/**
 * What every mesh test file needs: one Chromium for its phones, and its islands torn down afterwards.
 * Call at the top level of a test file.
 */
export function meshSuite() {
  let browser: Browser | undefined;
  let net: Islands | undefined;
  const consoles: string[][] = [];
  beforeAll(async () => {
    browser = await chromium.launch(launchOptions);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    // What each relay and phone saw, so a failure on a CI machine can be understood afterwards.
    if (net) console.log(await net.report());
    consoles.forEach((lines, i) => console.log(`--- phone ${i + 1} console\n${lines.slice(-40).join('\n')}`));
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
      const lines: string[] = [];
      consoles.push(lines);
      page.on('console', (m) => lines.push(`${new Date().toISOString()} ${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => lines.push(`${new Date().toISOString()} pageerror: ${e.message}`));
      await page.goto('/');
      return page;
    },
  };
}
