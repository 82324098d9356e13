import { test as base, type BrowserContext } from '@playwright/test';

export { expect } from '@playwright/test';
export type { Browser, Page } from '@playwright/test';

/** What a phone showed and logged: printed when a scenario fails, since CI keeps only the printed output. */
async function phoneReport(context: BrowserContext, n: number): Promise<string> {
  const lines: string[] = [];
  for (const page of context.pages()) {
    const phase = await page.locator('main').getAttribute('data-phase', { timeout: 1_000 }).catch(() => '?');
    lines.push(`--- phone ${n}: ${page.url()} (phase ${phase})`);
    const text = await page.locator('body').innerText({ timeout: 1_000 }).catch(() => '');
    lines.push(`screen: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
    for (const e of await page.pageErrors().catch(() => [])) lines.push(`page error: ${e.message}`);
    for (const m of await page.consoleMessages().catch(() => [])) if (m.type() !== 'debug') lines.push(`console ${m.type()}: ${m.text()}`);
    for (const r of await page.requests().catch(() => [])) {
      const failure = r.failure();
      if (failure) lines.push(`request failed: ${r.method()} ${r.url()} ${failure.errorText}`);
    }
  }
  return lines.join('\n');
}

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
