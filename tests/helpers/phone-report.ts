import type { BrowserContext } from '@playwright/test';

/** What a phone showed and logged: printed when a scenario fails, since CI keeps only the printed output. */
export async function phoneReport(context: BrowserContext, n: number): Promise<string> {
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
