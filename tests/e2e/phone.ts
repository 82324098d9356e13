import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

export interface Phone {
  context: BrowserContext;
  page: Page;
}

/** A fresh phone: its own browser context, so its own IndexedDB, caches and service worker. */
export async function openPhone(browser: Browser, baseUrl: string): Promise<Phone> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto('/');
  return { context, page };
}

export async function join(page: Page, name: string, invite = '', lock?: { pin: string; duress?: string }): Promise<void> {
  await page.getByTestId('name').fill(name);
  if (invite) await page.getByTestId('invite').fill(invite);
  if (lock) {
    await page.getByTestId('new-pin').fill(lock.pin);
    await page.getByTestId('repeat-pin').fill(lock.pin);
    if (lock.duress) await page.getByTestId('duress-pin').fill(lock.duress);
  }
  await page.getByTestId('join').click();
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
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
}

/** Opens the new offer / need form from the nav, as a person would (tapping again if a tap was lost). */
export async function openForm(page: Page, kind: 'offer' | 'need'): Promise<void> {
  let taps = 0;
  await expect(async () => {
    if (taps++ > 0) console.log(`[phone] tap on "${kind}" did not open the form; page at ${page.url()}, tapping again`);
    await page.getByTestId(`nav-${kind}`).click();
    await expect(page.getByTestId('title')).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 45_000 });
}

export async function post(page: Page, p: PostInput): Promise<void> {
  await openForm(page, p.kind);
  await page.getByTestId('title').fill(p.title);
  if (p.description) await page.getByTestId('description').fill(p.description);
  if (p.action) await page.getByTestId('action').selectOption(p.action);
  if (p.category) await page.getByTestId('category').selectOption(p.category);
  if (p.quantity) await page.getByTestId('quantity').fill(p.quantity);
  if (p.unit) await page.getByTestId('unit').fill(p.unit);
  if (p.area) await page.getByTestId('area').selectOption(p.area);
  if (p.audience) await page.getByTestId('audience').selectOption(p.audience);
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('intent-detail')).toContainText(p.title);
}

export async function browse(page: Page): Promise<void> {
  await page.getByRole('link', { name: /^(Browse|Explorar)$/ }).click();
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
