import { expect, test } from './fixtures.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { NAV, ROUTES, hrefOf, parseRoute, type Route, type RouteName } from '../../src/app/routes.ts';
import { join, openPhone, post } from './phone.ts';

// openspec/changes/feature-slices/specs/app-structure/spec.md — the crawl walks the route table itself,
// so a route added to the table is visited here without anyone listing it again.
let relay: RelayProcess;
test.beforeAll(async () => {
  relay = await startRelayProcess();
});
test.afterAll(async () => {
  await relay.cleanup();
});

test('Scenario: every route in the route table opens its screen and marks its nav entry', async ({ browser }) => {
  const a = await openPhone(browser, relay.url);
  const crashes: string[] = [];
  a.page.on('pageerror', (e) => crashes.push(e.message));
  await join(a.page, 'Ana');
  // The nav is the table's NAV, in order (those inside "Post" and "More" too, shown when opened).
  const links = a.page.getByTestId('bottom-nav').locator('a');
  await expect(links).toHaveCount(NAV.length);
  expect(await links.evaluateAll((els) => els.map((e) => e.getAttribute('href')))).toEqual(NAV.map((e) => hrefOf(e.to)));

  // Routes with params get real ones: an offer of Ana's, and Ana herself.
  await post(a.page, { kind: 'offer', title: 'Seed potatoes' });
  const detail = parseRoute(new URL(a.page.url()).hash);
  expect(detail.name).toBe('detail');
  const { author, id } = detail.params as { author: string; id: string };
  const sample: Record<string, string> = { author, id, agentId: author, peer: author, kind: 'need' };

  for (const name of Object.keys(ROUTES) as RouteName[]) {
    const params = Object.fromEntries([...ROUTES[name].path.matchAll(/:(\w+)/g)].map(([, p]) => [p, sample[p]]));
    const link = hrefOf({ name, params } as Route);
    // A hash the page already shows fires no navigation: go through the Settings link first.
    if (new URL(a.page.url()).hash === link) await a.page.evaluate(() => (location.hash = '#/settings'));
    // The last screen's headings are marked first, so only the new screen's heading can pass the wait below
    // (each route's screen is mounted afresh: App keys it by the link).
    await a.page.evaluate((h) => {
      document.querySelectorAll('main h1').forEach((e) => e.setAttribute('data-left', ''));
      location.hash = h;
    }, link);
    await expect(a.page.locator('main h1:not([data-left])').first(), `${name} (${link})`).toBeVisible();
    await expect(a.page.getByTestId('screen-failed'), name).toHaveCount(0);
    const nav: string | undefined = (ROUTES[name] as { nav?: string }).nav;
    const current = await links.evaluateAll((els) => els.filter((e) => e.getAttribute('aria-current') === 'page').map((e) => e.getAttribute('href')));
    expect(current, name).toEqual(nav ? [hrefOf(NAV.find((e) => e.id === nav)!.to)] : []);
  }
  expect(crashes).toEqual([]);
  await a.context.close();
});
