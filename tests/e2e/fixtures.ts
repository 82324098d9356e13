import { test as base } from '@playwright/test';
import { phoneReport } from '../helpers/phone-report.ts';

export { expect } from '@playwright/test';
export type { Browser, Page } from '@playwright/test';

/**
 * Playwright's `test` with one addition: every phone (browser context) a scenario opened and left open is
 * closed when it ends, pass or fail, after its screen, logs and failed requests are printed if the scenario
 * failed. A phone left open keeps retrying its relay — stopped by then — and its timers run until the worker
 * ends, taking CPU from the scenarios after it on a two-core machine. Phones opened in a `beforeAll` exist
 * before this fixture looks, so a serial group's shared phones stay open.
 */
export const test = base.extend<{ closeLeftPhones: void }>({
  closeLeftPhones: [
    async ({ browser }, use, testInfo) => {
      const before = new Set(browser.contexts());
      await use();
      const opened = browser.contexts().filter((c) => !before.has(c));
      if (testInfo.status !== testInfo.expectedStatus) {
        const reports = await Promise.all(opened.map((c, i) => phoneReport(c, i + 1)));
        if (reports.length > 0) console.error(`${testInfo.title}\n${reports.join('\n')}`);
      }
      await Promise.all(opened.map((c) => c.close().catch(() => {})));
    },
    { auto: true },
  ],
});
