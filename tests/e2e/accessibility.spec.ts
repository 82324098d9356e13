import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { browse, card, join, openPhone, post, tapNav } from './phone.ts';

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay.cleanup();
});

async function seriousViolations(page: Page, screen: string) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${screen}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// Every route of the route table is checked with axe at 360 px in English and Spanish by the layout
// crawl (layout-360.spec.ts); this scenario covers the states no route reaches: first run, the empty
// list, a code on screen, and an error.
test('Scenario: every screen has no serious accessibility violations at 360 px', async ({ browser }) => {
  test.setTimeout(180_000); // axe runs: on a busy two-core machine they alone can take a minute
  const a = await openPhone(browser, relay.url);
  const found: string[] = [];
  found.push(...(await seriousViolations(a.page, 'welcome')));
  await join(a.page, 'Ana');
  found.push(...(await seriousViolations(a.page, 'empty list')));
  await tapNav(a.page, 'offer');
  await post(a.page, { kind: 'offer', title: 'Lentils', quantity: '2', unit: 'kg', area: 'east' });
  await browse(a.page);
  await expect(card(a.page, 'Lentils')).toBeVisible();
  await a.page.getByTestId('nav-people').click();
  await a.page.getByTestId('my-code').click();
  await expect(a.page.getByTestId('my-qr')).toBeVisible();
  found.push(...(await seriousViolations(a.page, 'my code')));
  await a.page.getByTestId('nav-people').click();
  await a.page.getByTestId('vouch').click();
  await a.page.getByTestId('paste-code').fill(await a.page.evaluate(() => 'spm1:x'));
  await a.page.getByTestId('read-code').click();
  await expect(a.page.getByTestId('vouch-error')).toBeVisible();
  found.push(...(await seriousViolations(a.page, 'vouch error')));
  expect(found).toEqual([]);
  // Nothing overflows sideways on a small phone.
  const overflow = await a.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await a.context.close();
});

test('Scenario: the whole app works by keyboard alone', async ({ browser }) => {
  const a = await openPhone(browser, relay.url);
  // First run, one question per screen: each step's field takes the focus and Enter goes on.
  await a.page.getByTestId('welcome-next').focus();
  await a.page.keyboard.press('Enter');
  await expect(a.page.getByTestId('name')).toBeFocused();
  await a.page.keyboard.type('Keyboard user');
  await a.page.keyboard.press('Enter');
  await expect(a.page.getByTestId('new-pin')).toBeFocused();
  await a.page.keyboard.press('Enter'); // no PIN
  await expect(a.page.getByTestId('invite')).toBeFocused();
  await a.page.keyboard.press('Enter');
  await expect(a.page.locator('main')).toHaveAttribute('data-phase', 'ready');
  // "Post" opens its list; the choices follow it in tab order.
  await a.page.getByTestId('nav-post').focus();
  await a.page.keyboard.press('Enter');
  await expect(a.page.getByTestId('nav-need')).toBeVisible();
  await a.page.keyboard.press('Tab');
  await a.page.keyboard.press('Tab');
  await expect(a.page.getByTestId('nav-need')).toBeFocused();
  await a.page.keyboard.press('Enter');
  await expect(a.page.locator('main h1')).toBeFocused();
  await a.page.keyboard.press('Tab');
  await expect(a.page.getByTestId('title')).toBeFocused();
  await a.page.keyboard.type('Help moving a sofa');
  await a.page.keyboard.press('Enter');
  // No category was chosen: focus goes to it, with its error beside it; choose one and post.
  await expect(a.page.getByTestId('category')).toBeFocused();
  await expect(a.page.getByTestId('error-category')).toBeVisible();
  await a.page.keyboard.press('ArrowDown');
  await a.page.getByTestId('submit').focus();
  await a.page.keyboard.press('Enter');
  await expect(a.page.getByTestId('intent-detail')).toContainText('Help moving a sofa');
  await a.context.close();
});

test('Scenario: switching to Spanish translates the interface and is remembered', async ({ browser }) => {
  const a = await openPhone(browser, relay.url);
  await join(a.page, 'Ana');
  await tapNav(a.page, 'settings');
  await a.page.getByTestId('language').selectOption('es');
  await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Ajustes');
  await expect(a.page.getByRole('link', { name: 'Inicio' })).toBeVisible();
  await expect(a.page.locator('html')).toHaveAttribute('lang', 'es');
  // Each language's strings are a file of their own: a phone opening in Spanish fetches only Spanish.
  const scripts: string[] = [];
  a.page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
  await a.page.reload();
  await expect(a.page.getByRole('link', { name: 'Inicio' })).toBeVisible();
  expect(scripts.filter((s) => /\/assets\/(en|es)-/.test(s)).map((s) => s.slice(8, 10))).toEqual(['es']);
  await a.page.getByRole('link', { name: 'Inicio' }).click();
  await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Ofertas y necesidades');
  await expect(a.page.getByTestId('search')).toHaveAccessibleName('Buscar');
  await a.context.close();
});
