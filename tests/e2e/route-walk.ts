import { expect, type Page } from '@playwright/test';
import { ROUTES, hrefOf, type Route, type RouteName } from '../../src/app/routes.ts';

/**
 * Walking the route table as the crawls do (layout at 360 px, dark colours): every route, with real
 * params from a member's own post, so a route added to the table is visited without anyone listing it.
 */

/** Every route's link, its params taken from `sample` (author, id, agentId, peer, kind). */
export function routeLinks(sample: Record<string, string>): Array<{ name: RouteName; link: string }> {
  return (Object.keys(ROUTES) as RouteName[]).map((name) => {
    const params = Object.fromEntries([...ROUTES[name].path.matchAll(/:(\w+)/g)].map(([, p]) => [p, sample[p]]));
    return { name, link: hrefOf({ name, params } as Route) };
  });
}

/** Opens a route by its link and waits for its own heading (the last screen's are marked first). */
export async function openRoute(page: Page, link: string): Promise<void> {
  // A hash the page already shows fires no navigation: go through Settings first.
  if (new URL(page.url()).hash === link) await page.evaluate(() => (location.hash = '#/settings'));
  await page.evaluate((h) => {
    document.querySelectorAll('main h1').forEach((e) => e.setAttribute('data-left', ''));
    location.hash = h;
  }, link);
  await expect(page.locator('main h1:not([data-left])').first(), link).toBeVisible();
}
