import { expect, test, type Browser } from './fixtures.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { seedOffers, type Seeder } from '../../bench/lib/seed.ts';
import { walkWelcome } from '../helpers/welcome-flow.ts';

/**
 * Enough offers that a newcomer's phone takes them in through the bulk path (feed-intake.ts: from 200),
 * with two signature batches of 500 after the first screenful, in English and Spanish.
 */
const OFFERS = 1_000;

let relay: RelayProcess;
let seeder: Seeder;
test.beforeAll(async () => {
  // 1,000 signed offers written through a real relay: 2,000 once went past the 90 s default beside the mesh tests.
  test.setTimeout(300_000);
  relay = await startRelayProcess();
  seeder = await seedOffers(relay.url, OFFERS);
});
test.afterAll(async () => {
  await seeder?.close();
  await relay?.cleanup();
});

/** A newcomer's phone (360×740, touch) joins; returns every progress line it showed and the final count line. */
async function newcomerJoins(browser: Browser, locale: string, done: RegExp): Promise<string[]> {
  const context = await browser.newContext({ baseURL: relay.url, locale, viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
  try {
    const page = await context.newPage();
    await page.goto('/');
    // Progress lines come and go quickly: the page records every one it shows.
    await page.evaluate(() => {
      const w = window as unknown as { __intake: string[] };
      w.__intake = [];
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="intake-progress"]')?.textContent?.trim();
        if (text && w.__intake.at(-1) !== text) w.__intake.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await walkWelcome(page, { name: 'Newcomer' });
    await expect(page.locator('.count')).toHaveText(done, { timeout: 180_000 });
    await expect(page.getByTestId('intake-progress')).toHaveCount(0);
    await expect(page.getByTestId('intent-card')).toHaveCount(50);
    return (await page.evaluate(() => (window as unknown as { __intake: string[] }).__intake)) as string[];
  } finally {
    await context.close();
  }
}

test('Scenario: a newcomer joining a community with thousands of posts sees how many are loaded, then the list', async ({ browser }) => {
  test.setTimeout(400_000);
  const en = await newcomerJoins(browser, 'en-US', /^Showing 50 of 1,?000$/);
  expect(en.length).toBeGreaterThan(0);
  for (const line of en) expect(line).toMatch(/^[\d,]+ of 1,?000 posts loaded$/);
  expect(en.some((l) => /^50 of 1,?000 posts loaded$/.test(l))).toBe(true);

  const es = await newcomerJoins(browser, 'es-ES', /^Mostrando 50 de 1\.?000$/);
  expect(es.length).toBeGreaterThan(0);
  for (const line of es) expect(line).toMatch(/^[\d.]+ de 1\.?000 publicaciones cargadas$/);
});
