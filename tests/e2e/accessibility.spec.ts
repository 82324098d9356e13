import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from './fixtures.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { hrefOf, parseRoute } from '../../src/app/routes.ts';
import { es } from '../../src/app/i18n/es.ts';
import { en } from '../../src/app/i18n/en.ts';
import { browse, card, join, openPhone, openTouchPhone, post, tapNav } from './phone.ts';
import { openRoute, routeLinks } from './route-walk.ts';

let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay.cleanup();
});

async function seriousViolations(page: Page, screen: string, rules?: string[]) {
  const axe = new AxeBuilder({ page });
  const result = await (rules ? axe.withRules(rules) : axe).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${screen}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// Every route of the route table is checked with axe at 360 px in English and Spanish by the layout
// crawl (layout-360.spec.ts), and every first-run step and the lock screen by phase-screens-360.spec.ts;
// this scenario covers other states no route reaches: the empty list, a code on screen, and an error.
test('Scenario: every screen has no serious accessibility violations at 360 px', async ({ browser }) => {
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

/**
 * What the colour scheme changes: the page's structure, names and roles are the same in dark and light,
 * and every axe rule runs on every route in light (layout-360.spec.ts), so dark mode is checked with the
 * rules about colour. A full axe run per route took over two minutes of one browser on a busy machine.
 */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/** Every route of the table, then a date field with its error showing (error colours on the dark background). */
async function darkCrawl(page: Page, lang: 'en' | 'es', sample: Record<string, string>): Promise<string[]> {
  const found: string[] = [];
  for (const { name, link } of routeLinks(sample)) {
    await openRoute(page, link);
    found.push(...(await seriousViolations(page, `${lang} ${name}`, COLOUR_RULES)));
  }
  await openRoute(page, hrefOf({ name: 'new', params: { kind: 'need' } }));
  await page.getByTestId('title').fill('Ladder');
  await page.getByTestId('expires-day').selectOption('31');
  await page.getByTestId('expires-month').selectOption('2');
  await page.getByTestId('expires-year').fill('2030');
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('expires-error')).toHaveText((lang === 'es' ? es : en)['date.error.noSuchDay']);
  found.push(...(await seriousViolations(page, `${lang} date error`, COLOUR_RULES)));
  return found;
}

// openspec/changes/locale-finish — the dark colour scheme reads as well as the light one, in both languages
// (Spanish words are longer: a label that wraps into a link's line, or a badge that grows, is its own case).
// One test per language: both crawls in one ran past the time limit on a loaded 2-core machine.
for (const lang of ['en', 'es'] as const) {
  test(`Scenario: in dark mode every screen of the route table has no serious accessibility violations at 360 px (${lang})`, async ({ browser }) => {
    const a = await openPhone(browser, relay.url, { colorScheme: 'dark', hasTouch: true, isMobile: true, viewport: { width: 360, height: 740 } });
    expect(await a.page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
    const found: string[] = [];
    if (lang === 'en') found.push(...(await seriousViolations(a.page, 'welcome', COLOUR_RULES)));
    await join(a.page, 'Ana');
    // A need: the relay is shared by this file's scenarios, so Ana may not be the founder (who may offer).
    await post(a.page, { kind: 'need', title: 'Seed potatoes', quantity: '3', unit: 'kg' });
    const { author, id } = parseRoute(new URL(a.page.url()).hash).params as { author: string; id: string };
    const sample = { author, id, agentId: author, peer: author, kind: 'need' };
    if (lang === 'es') {
      // Switched on the same phone, as a person would: the Spanish strings arrive while the app runs.
      await openRoute(a.page, hrefOf({ name: 'settings', params: {} }));
      await a.page.getByTestId('language').selectOption('es');
      await expect(a.page.locator('html')).toHaveAttribute('lang', 'es');
    }
    found.push(...(await darkCrawl(a.page, lang, sample)));
    expect(found).toEqual([]);
    await a.context.close();
  });
}

test('Scenario: a Spanish phone installs the app with a Spanish name and description', async ({ browser }) => {
  const a = await openTouchPhone(browser, relay.url, 'es');
  await expect(a.page.locator('html')).toHaveAttribute('lang', 'es');
  const manifestOf = async () => {
    const href = await a.page.locator('link[rel="manifest"]').evaluate((l) => (l as HTMLLinkElement).href);
    const res = await a.page.request.get(href);
    expect(res.ok(), href).toBe(true);
    return { href, m: (await res.json()) as { name: string; short_name: string; description: string; lang: string; icons: unknown[] } };
  };
  const spanish = await manifestOf();
  expect(spanish.href).toMatch(/\/manifest\.es\.webmanifest$/);
  expect(spanish.m).toMatchObject({ lang: 'es', name: es['manifest.name'], short_name: es['manifest.shortName'], description: es['manifest.description'] });
  expect(spanish.m.icons.length).toBe(3);
  // The browser reads the one the page points at (what it installs from).
  const cdp = await a.context.newCDPSession(a.page);
  await expect.poll(async () => ((await cdp.send('Page.getAppManifest')) as { url: string }).url).toMatch(/manifest\.es\.webmanifest$/);
  // Choosing English on the first screen points the page at the English manifest.
  await a.page.getByTestId('lang-en').check();
  await expect(a.page.locator('html')).toHaveAttribute('lang', 'en');
  const english = await manifestOf();
  expect(english.href).toMatch(/\/manifest\.webmanifest$/);
  expect(english.m).toMatchObject({ lang: 'en', name: en['manifest.name'], description: en['manifest.description'] });
  await a.context.close();
});
