import { expect as baseExpect, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { NAV, NAV_GROUPS } from '../../src/app/routes.ts';
import { walkWelcome } from '../helpers/welcome-flow.ts';

/** The e2e config's expect timeout, also when bench/journey.ts runs these steps outside the test runner. */
const expect = baseExpect.configure({ timeout: 20_000 });

export interface Phone {
  context: BrowserContext;
  page: Page;
}

/** A fresh phone: its own browser context, so its own IndexedDB, caches and service worker. */
export async function openPhone(browser: Browser, baseUrl: string, options: BrowserContextOptions = {}): Promise<Phone> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 360, height: 740 }, ...options });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto('/');
  return { context, page };
}

/**
 * A touch phone at 360x740 (as people hold them), optionally starting in Spanish; `beforeLoad` runs on
 * its context before the app loads (a route on its sockets, say).
 */
export async function openTouchPhone(browser: Browser, baseUrl: string, locale: 'en' | 'es' = 'en', beforeLoad?: (context: BrowserContext) => Promise<void>): Promise<Phone> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, locale: locale === 'es' ? 'es-ES' : 'en-GB' });
  await beforeLoad?.(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto('/');
  return { context, page };
}

/** Joins through the first-run screens; a duress PIN is then set in Settings → Safety, as a person would. */
export async function join(page: Page, name: string, invite = '', lock?: { pin: string; duress?: string }): Promise<void> {
  await walkWelcome(page, { name, invite, pin: lock?.pin });
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
  if (lock?.duress) await setPin(page, lock.pin, lock.duress);
}

/** Settings → Safety: sets the PIN (and duress PIN), then goes back to where the phone was. */
export async function setPin(page: Page, pin: string, duress = ''): Promise<void> {
  const back = new URL(page.url()).hash || '#/';
  await openSettings(page);
  await page.getByTestId('settings-pin').fill(pin);
  await page.getByTestId('settings-pin2').fill(pin);
  if (duress) await page.getByTestId('settings-duress').fill(duress);
  await page.getByTestId('save-pin').click();
  await expect(page.getByTestId('pin-saved')).toBeVisible();
  await page.evaluate((h) => (location.hash = h), back);
}

/** Opens Settings by its address (the nav's layout is another screen's business). */
export async function openSettings(page: Page): Promise<void> {
  await page.evaluate(() => (location.hash = '#/settings'));
  await expect(page.getByTestId('safety')).toBeVisible();
}

export interface PostInput {
  kind: 'offer' | 'need';
  title: string;
  description?: string;
  category?: string;
  quantity?: string;
  unit?: string;
  area?: string;
  audience?: 'public' | 'trusted';
  /** What kind of help (the ValueFlows action): transfer, use, work, deliver-service. */
  action?: 'transfer' | 'use' | 'work' | 'deliver-service';
  /** The last day it is good for, as the date field takes it (yyyy-mm-dd). */
  expires?: string;
}

/** Opens the new offer / need form from the nav, as a person would (tapping again if a tap was lost). */
export async function openForm(page: Page, kind: 'offer' | 'need'): Promise<void> {
  let taps = 0;
  await expect(async () => {
    if (taps++ > 0) console.log(`[phone] tap on "${kind}" did not open the form; page at ${page.url()}, tapping again`);
    await tapNav(page, kind);
    await expect(page.getByTestId('title')).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 45_000 });
}

export async function post(page: Page, p: PostInput): Promise<void> {
  await openForm(page, p.kind);
  await page.getByTestId('title').fill(p.title);
  if (p.description) await page.getByTestId('description').fill(p.description);
  if (p.action) await page.getByTestId('action').selectOption(p.action);
  // No category is chosen for the person: the first real one when the test does not care which.
  await page.getByTestId('category').selectOption(p.category ?? { index: 1 });
  if (p.quantity) await page.getByTestId('quantity').fill(p.quantity);
  if (p.unit) await page.getByTestId('unit').fill(p.unit);
  if (p.area) await page.getByTestId('area').selectOption(p.area);
  if (p.audience) await page.getByTestId('audience').selectOption(p.audience);
  if (p.expires) await chooseDay(page, 'expires', p.expires);
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('intent-detail')).toContainText(p.title);
}

/** Chooses a day (yyyy-mm-dd) in the app's date field, part by part as a person does: day, month, year. */
export async function chooseDay(page: Page, field: string, day: string): Promise<void> {
  const [year, month, date] = day.split('-');
  await page.getByTestId(`${field}-day`).selectOption(String(Number(date)));
  await page.getByTestId(`${field}-month`).selectOption(String(Number(month)));
  await page.getByTestId(`${field}-year`).fill(year!);
}

export async function browse(page: Page): Promise<void> {
  await tapNav(page, 'browse');
}

/**
 * Taps a main-nav entry (NAV id in src/app/routes.ts) as a person would: an entry inside "Post" or
 * "More" is reached by opening that list first.
 */
export async function tapNav(page: Page, id: string): Promise<void> {
  const entry = NAV.find((e) => e.id === id);
  if (!entry?.testid) throw new Error(`no nav entry "${id}" with a test id`);
  // A tap can land while the screen is still drawing: try again (the list stays open once it is).
  await expect(async () => {
    if (entry.place !== 'bar') {
      const group = page.getByTestId(NAV_GROUPS[entry.place].testid);
      if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click({ timeout: 10_000 });
    }
    await page.getByTestId(entry.testid!).click({ timeout: 10_000 });
  }).toPass({ timeout: 60_000 });
}

export function card(page: Page, title: string) {
  return page.getByTestId('intent-card').filter({ hasText: title });
}

/** Waits until this phone's service worker controls the page: the app shell is then cached. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((r) => navigator.serviceWorker.addEventListener('controllerchange', () => r(), { once: true }));
    }
  });
}

export async function relayStatus(baseUrl: string): Promise<{ unsaved: number; phones: number }> {
  const res = await fetch(`${baseUrl}/api/status`);
  return (await res.json()) as { unsaved: number; phones: number };
}
