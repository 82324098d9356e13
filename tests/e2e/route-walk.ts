import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { ROUTES, hrefOf, type Route, type RouteName } from '../../src/app/routes.ts';
import { es } from '../../src/app/i18n/es.ts';
import { monthNames } from '../../src/app/i18n/calendar-words.ts';
import { FINGERPRINT_WORDS_ES } from '../../src/core/trust/fingerprint.ts';
import { dictionaryPatterns, notInDictionary, readableTexts } from './dictionary-words.ts';

/**
 * Walking the route table as the crawls do (layout at 360 px, dark colours): every route, with real
 * params from a member's own post, so a route added to the table is visited without anyone listing it.
 * The checks a crawl makes on each screen are here too, shared by the route crawl (layout-360.spec.ts)
 * and the crawl of the screens shown before the phone is open (phase-screens-360.spec.ts).
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

export const PHONE_WIDTH = 360;
/** A touch phone as people hold them. */
export const touchPhone = { hasTouch: true, isMobile: true, viewport: { width: PHONE_WIDTH, height: 740 } };

/** What a person would notice on a narrow screen: the page scrolls sideways, or a control is cut off. */
export async function overflow(page: Page, width = PHONE_WIDTH): Promise<{ scrollWidth: number; cutOff: string[] }> {
  return page.evaluate((width) => {
    const controls = document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [role="button"], [tabindex]:not([tabindex="-1"])');
    const cutOff = [...controls]
      .filter((el) => el.checkVisibility() && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > width + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}[${el.dataset.testid ?? el.textContent?.trim().slice(0, 30)}] right=${Math.round(el.getBoundingClientRect().right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, cutOff };
  }, width);
}

/** axe's serious and critical findings on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * The screen showing now, at normal and at doubled text size (WCAG 1.4.10: text at twice the size
 * reflows instead of running off the side): sideways scroll, cut-off controls and axe's serious findings,
 * as "label: …" lines. axe runs at normal size, and at double size too when `axeAtDouble`.
 */
export async function screenProblems(page: Page, label: string, { axeAtDouble = false } = {}): Promise<string[]> {
  const found: string[] = [];
  for (const size of ['', '200%'] as const) {
    const where = size ? `${label} at 200 %` : label;
    await page.evaluate((s) => (document.documentElement.style.fontSize = s), size);
    const o = await overflow(page);
    if (o.scrollWidth > PHONE_WIDTH) found.push(`${where}: page is ${o.scrollWidth} px wide`);
    for (const c of o.cutOff) found.push(`${where}: ${c}`);
    if (!size || axeAtDouble) for (const v of await seriousViolations(page)) found.push(`${where}: ${v}`);
  }
  await page.evaluate(() => (document.documentElement.style.fontSize = ''));
  return found;
}

/**
 * The Spanish check across a crawl: every text on each screen is from the Spanish dictionary or is
 * `userData` (what the crawl's member typed). Check words of a key and month names in the date field
 * (Intl's words for the language, like the dates in <time>) are Spanish too.
 */
export function spanishCheck(userData: readonly string[]) {
  const spanish = dictionaryPatterns(es);
  const words = new Set([...FINGERPRINT_WORDS_ES, ...monthNames('es')]);
  const notSpanish = new Map<string, Set<string>>();
  return {
    async check(page: Page, where: string): Promise<void> {
      for (const text of notInDictionary(await readableTexts(page), spanish, userData, words)) notSpanish.set(text, (notSpanish.get(text) ?? new Set()).add(where));
    },
    /** Each text not from the dictionary, with the screens it was on. */
    offenders(): string[] {
      return [...notSpanish].map(([text, where]) => `"${text}" on ${[...where].join(', ')}`);
    },
  };
}
