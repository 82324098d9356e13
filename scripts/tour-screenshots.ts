/**
 * The README's "A quick tour" pictures (issue #18): a newcomer's first minutes on two real phones, taken
 * from a real relay process and real Chromium at 360×740 with touch, saved as viewport-only PNGs in
 * docs/tour/ under stable names so a re-run replaces them in place.
 *
 * Builds nothing: run `npm run build` first, then `node --import tsx scripts/tour-screenshots.ts`.
 */
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { chromium, expect as baseExpect, type Page } from '@playwright/test';
import { launchOptions } from '../tests/helpers/browser.ts';
import { ROOT, startRelayProcess } from '../tests/helpers/relay-process.ts';
import { join, openSettings, openTouchPhone, tapNav } from '../tests/e2e/phone.ts';
import { vouchFor } from '../tests/e2e/vouching.ts';

/** Every wait is bounded; the same timeout the e2e suite uses. */
const expect = baseExpect.configure({ timeout: 20_000 });

const OUT = path.join(ROOT, 'docs', 'tour');
const STATIC = path.join(ROOT, 'dist');
const TITLE = 'Winter coat, size M';

if (!existsSync(path.join(STATIC, 'index.html'))) {
  console.error('No built app in dist/: run `npm run build` first.');
  process.exit(1);
}

/** The visible screen only (not the full page), so each committed PNG stays small. */
async function shot(page: Page, name: string): Promise<void> {
  // Let the caret and fonts settle into a stable picture: no blinking caret, no animations.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const file = path.join(OUT, name);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  console.log(`${path.relative(ROOT, file)}  ${(await stat(file)).size} bytes`);
}

await mkdir(OUT, { recursive: true });
const browser = await chromium.launch({ ...launchOptions, timeout: 60_000 });
const relay = await startRelayProcess({ args: ['--static-dir', STATIC], env: { LOG_LEVEL: 'warn' } });
try {
  const ana = await openTouchPhone(browser, relay.url, 'en');
  const beto = await openTouchPhone(browser, relay.url, 'en');

  // 1. The first screen a newcomer sees: choose a language, then a name, an optional PIN, join.
  await expect(ana.page.getByTestId('lang-en')).toBeVisible();
  await shot(ana.page, '01-welcome.png');
  await join(ana.page, 'Ana');
  await join(beto.page, 'Beto');

  // 2. Home, once joined. Ana and Beto then vouch for each other in person (codes), so both may post.
  await ana.page.getByTestId('brand').click();
  await expect(ana.page.getByTestId('home-offer')).toBeVisible();
  await shot(ana.page, '02-home.png');
  await vouchFor(ana.page, beto.page, 'Beto');
  await vouchFor(beto.page, ana.page, 'Ana');

  // 3. Ana offers a coat from Home: a title, a kind of thing, and post.
  await ana.page.getByTestId('brand').click();
  await ana.page.getByTestId('home-offer').tap();
  await ana.page.getByTestId('title').fill(TITLE);
  await ana.page.getByTestId('description').fill('Warm, barely worn. I can bring it to the school gate.');
  await ana.page.getByTestId('category').selectOption({ label: 'Clothing' });
  await shot(ana.page, '03-offer.png');
  await ana.page.getByTestId('submit').tap();
  await expect(ana.page.getByTestId('intent-detail')).toContainText(TITLE);

  // 4. Beto's phone finds it by searching the list.
  await beto.page.getByTestId('brand').click();
  await beto.page.getByTestId('search').fill('coat');
  const card = beto.page.getByTestId('intent-card').filter({ hasText: TITLE });
  await expect(card).toBeVisible({ timeout: 30_000 });
  await shot(beto.page, '04-find.png');

  // 5. He opens it, adds a note and taps "Ask for it" (shown just before the tap); then it waits for Ana.
  await card.tap();
  await expect(beto.page.getByTestId('intent-detail')).toContainText(TITLE);
  await beto.page.getByTestId('request-note').fill('My son needs one for school');
  await beto.page.getByTestId('ask').scrollIntoViewIfNeeded();
  await shot(beto.page, '05-ask.png');
  await beto.page.getByTestId('ask').tap();
  await expect(beto.page.getByTestId('agreement-status')).toContainText('waiting for them to confirm');

  // 6. Ana's "More" shows a count; My posts lists the request waiting for her.
  await expect(ana.page.getByTestId('nav-more-count')).toHaveText('1', { timeout: 30_000 });
  await tapNav(ana.page, 'mine');
  await expect(ana.page.getByTestId('my-request').filter({ hasText: TITLE })).toBeVisible();
  await shot(ana.page, '06-my-posts.png');

  // 7. Settings → Safety: PIN, duress PIN, panic wipe — shown from its heading down.
  await openSettings(ana.page);
  await ana.page.getByTestId('safety').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(ana.page, '07-safety.png');

  await ana.context.close();
  await beto.context.close();
} finally {
  await relay.cleanup();
  await browser.close();
}
