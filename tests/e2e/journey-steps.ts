import { expect as baseExpect, type Browser, type Locator, type Page } from '@playwright/test';
import { join, tapNav, type Phone } from './phone.ts';
export { notificationsShown, recordNotifications } from './notifications.ts';
import { vouchFor } from './vouching.ts';

/** The e2e config's expect timeout, also when bench/journey.ts runs these steps outside the test runner. */
const expect = baseExpect.configure({ timeout: 20_000 });

/**
 * The core loop on two phones, as people do it (issue #18): shared by tests/e2e/journey.spec.ts, which
 * asserts it, and bench/journey.ts, which reports its taps and time.
 */

/** A phone as people hold it: 360×740, touch. Its own context: its own IndexedDB and service worker. */
export async function openTouchPhone(browser: Browser, baseUrl: string, locale = 'en-GB'): Promise<Phone> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, locale });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto('/');
  return { context, page };
}

/**
 * Counts what a person presses: a tap on a button, link or checkbox, choosing in a list, picking a photo.
 * Typing text is not counted (it is typing, whatever taps the keyboard takes).
 */
export class TapCounter {
  taps = 0;
  async tap(target: Locator): Promise<void> {
    this.taps++;
    await target.tap();
  }
  async choose(select: Locator, option: string | { index: number }): Promise<void> {
    this.taps++;
    await select.selectOption(option);
  }
  async pickFile(input: Locator, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    this.taps++;
    await input.setInputFiles(file);
  }
}


/** A small photo made in the page's own canvas (PNG). */
export async function makePhoto(page: Page): Promise<Buffer> {
  const bytes = await page.evaluate(async () => {
    const c = new OffscreenCanvas(320, 240);
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = '#3a7';
    ctx.fillRect(0, 0, 320, 240);
    ctx.fillStyle = '#fff';
    ctx.fillRect(100, 60, 120, 120);
    return [...new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer())];
  });
  return Buffer.from(bytes);
}

/** Two neighbours who joined and vouched for each other in person (so both may post and write). */
export async function twoNeighbours(browser: Browser, baseUrl: string): Promise<{ ana: Phone; beto: Phone }> {
  const ana = await openTouchPhone(browser, baseUrl);
  const beto = await openTouchPhone(browser, baseUrl);
  await join(ana.page, 'Ana');
  await join(beto.page, 'Beto');
  await vouchFor(ana.page, beto.page, 'Beto');
  await vouchFor(beto.page, ana.page, 'Ana');
  return { ana, beto };
}

/**
 * From Home, post an offer with a photo; returns the taps it took. Home is the list (the brand link).
 */
export async function postOfferWithPhoto(phone: Phone, title: string): Promise<number> {
  const { page } = phone;
  await page.getByTestId('brand').click();
  await expect(page.locator('main h1')).toBeVisible();
  const photo = await makePhoto(page);
  const counter = new TapCounter();
  await counter.tap(page.getByTestId('home-offer'));
  await page.getByTestId('title').fill(title);
  await counter.choose(page.getByTestId('category'), { index: 1 });
  await counter.pickFile(page.getByTestId('photo'), { name: 'coat.png', mimeType: 'image/png', buffer: photo });
  await expect(page.getByTestId('photo-added')).toContainText('coat.png');
  if (process.env.JOURNEY_SHOT) await page.screenshot({ path: process.env.JOURNEY_SHOT, fullPage: true });
  await counter.tap(page.getByTestId('submit'));
  await expect(page.getByTestId('intent-detail')).toContainText(title);
  await expect(page.getByTestId('attachments')).toContainText('coat.png');
  return counter.taps;
}

/** The other phone finds a post by searching the list and opens it. */
export async function findAndOpen(phone: Phone, search: string, title: string): Promise<void> {
  const { page } = phone;
  await page.getByTestId('brand').click();
  await page.getByTestId('search').fill(search);
  const card = page.getByTestId('intent-card').filter({ hasText: title });
  await expect(card).toBeVisible({ timeout: 30_000 });
  await card.tap();
  await expect(page.getByTestId('intent-detail')).toContainText(title);
}

/** The owner opens My posts from the nav (its badge counts requests) and opens the waiting request. */
export async function openWaitingRequest(phone: Phone, title: string): Promise<void> {
  const { page } = phone;
  await tapNav(page, 'mine');
  await page.getByTestId('my-request').filter({ hasText: title }).locator('a').tap();
  await expect(page.getByTestId('intent-detail')).toContainText(title);
}

/** Writes from a post's "Message" button; waits until the message shows as sent in the conversation. */
export async function messageFromPost(phone: Phone, text: string): Promise<void> {
  const { page } = phone;
  await page.getByTestId('message-author').tap();
  await page.getByTestId('compose').fill(text);
  await page.getByTestId('send').tap();
  await expect(page.getByTestId('message').filter({ hasText: text })).toBeVisible();
}

/** From People, opens `name`'s page and writes to them (Message, type, Send); waits until it shows in the conversation. */
export async function messagePerson(phone: Phone, name: string, text: string): Promise<void> {
  const { page } = phone;
  await tapNav(page, 'people');
  await page.getByRole('link', { name }).first().tap();
  await page.getByTestId('message-person').tap();
  await page.getByTestId('compose').fill(text);
  await page.getByTestId('send').tap();
  await expect(page.getByTestId('message').filter({ hasText: text })).toBeVisible();
}

/** The person switched to another app (a test cannot press Home): the page stays open but is not in view. */
export async function switchAway(phone: Phone): Promise<void> {
  await phone.page.evaluate(() => Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }));
}

/** The giver marks the agreed hand-over as given (confirming the question the phone asks). */
export async function markGiven(phone: Phone): Promise<void> {
  const { page } = phone;
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('hand-over').tap();
  await expect(page.getByTestId('handed-over')).toBeVisible();
}
