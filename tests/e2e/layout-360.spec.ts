import { expect, test, type Page } from './fixtures.ts';
import { relayPerTest } from './relay-per-test.ts';
import { pdfContains, pdfText } from '../helpers/pdf-text.ts';
import { parseRoute } from '../../src/app/routes.ts';
import { openRoute as open, overflow, PHONE_WIDTH, routeLinks, screenProblems, seriousViolations, spanishCheck, touchPhone } from './route-walk.ts';
import { browse, card, join, openPhone, post, tapNav, type Phone } from './phone.ts';
import { vouchFor } from './vouching.ts';

// openspec/changes/phone-layout/specs/phone-layout/spec.md — every screen of the route table on a
// 360 x 740 touch phone, in English and Spanish, at normal and doubled text size (the screens shown
// before the phone is open, first run and lock, in phase-screens-360.spec.ts).
// A community of its own per test: whoever joins first founds it (and may post offers).
// Its scenarios share nothing (a relay each) and together take five minutes of one browser: spread over
// the workers, the file no longer ends the run alone.
test.describe.configure({ mode: 'parallel' });
const relay = relayPerTest();

async function phoneIn(page: Page, lang: 'en' | 'es'): Promise<void> {
  await page.evaluate((l) => localStorage.setItem('lang', l), lang);
  await page.reload();
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

/** Ana with one post of her own: routes with params get real ones. */
const ANA_POST = { kind: 'offer', title: 'Seed potatoes from the allotment', description: 'A whole sack, come with a bag', quantity: '3', unit: 'kg' } as const;
/** What the crawl's member typed: the only words on a Spanish screen that may be in another language. */
const USER_DATA = ['Ana Lucía', ANA_POST.title, ANA_POST.description, ANA_POST.unit];

async function anaWithAPost(browser: import('@playwright/test').Browser): Promise<{ ana: Phone; sample: Record<string, string> }> {
  const ana = await openPhone(browser, relay.url, touchPhone);
  await join(ana.page, 'Ana Lucía');
  await post(ana.page, { ...ANA_POST });
  const detail = parseRoute(new URL(ana.page.url()).hash);
  const { author, id } = detail.params as { author: string; id: string };
  return { ana, sample: { author, id, agentId: author, peer: author, kind: 'need' } };
}

for (const lang of ['en', 'es'] as const) {
  test(`Scenario: every screen fits a 360 px touch phone with no sideways scroll, cut-off control or serious accessibility issue, also at 200 % text (${lang})`, async ({ browser }) => {
    const { ana, sample } = await anaWithAPost(browser);
    const page = ana.page;
    await phoneIn(page, lang);
    const found: string[] = [];
    const spanish = spanishCheck(USER_DATA);
    for (const { name, link } of routeLinks(sample)) {
      await open(page, link);
      found.push(...(await screenProblems(page, name)));
      // The Spanish check: every word on the screen is from the Spanish dictionary or typed by a member.
      if (lang === 'es') await spanish.check(page, name);
    }
    // The lists "Post" and "More" open fit too, and read well.
    for (const group of ['nav-post', 'nav-more']) {
      await page.getByTestId(group).click();
      await expect(page.getByTestId(`${group}-list`)).toBeVisible();
      const o = await overflow(page);
      if (o.scrollWidth > PHONE_WIDTH) found.push(`${group} open: page is ${o.scrollWidth} px wide`);
      for (const c of o.cutOff) found.push(`${group} open: ${c}`);
      for (const v of await seriousViolations(page)) found.push(`${group} open: ${v}`);
      if (lang === 'es') await spanish.check(page, group);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId(`${group}-list`)).toBeHidden();
    }
    expect.soft(found).toEqual([]);
    const offenders = spanish.offenders();
    expect(offenders, `not from the Spanish dictionary:\n${offenders.join('\n')}`).toEqual([]);
    await ana.context.close();
  });
}

test('Scenario: the first post on Browse is on the first screen of a 360 x 740 phone', async ({ browser }) => {
  const { ana } = await anaWithAPost(browser);
  for (const lang of ['en', 'es'] as const) {
    await phoneIn(ana.page, lang);
    await browse(ana.page);
    const first = ana.page.getByTestId('intent-card').first();
    await expect(first).toBeVisible();
    const box = (await first.boundingBox())!;
    const bar = (await ana.page.getByTestId('bottom-nav').boundingBox())!;
    // The whole card is above the bottom bar, inside the first 740 px, without scrolling.
    expect(await ana.page.evaluate(() => window.scrollY)).toBe(0);
    expect(box.y + box.height, lang).toBeLessThanOrEqual(bar.y);
    expect(bar.y + bar.height, lang).toBeLessThanOrEqual(740);
  }
  await ana.context.close();
});

test('Scenario: a card shows who posted it, how long ago, and who may see it', async ({ browser }) => {
  const { ana } = await anaWithAPost(browser);
  await browse(ana.page);
  const c = card(ana.page, 'Seed potatoes');
  await expect(c.getByTestId('card-author')).toHaveText('By Ana Lucía');
  await expect(c.getByTestId('card-age')).toHaveText(/now|seconds? ago/);
  await expect(c.getByTestId('card-audience')).toHaveText('Everyone');
  await phoneIn(ana.page, 'es');
  await expect(c.getByTestId('card-author')).toHaveText('De Ana Lucía');
  await expect(c.getByTestId('card-age')).toHaveText(/ahora|segundos?/);
  await expect(c.getByTestId('card-audience')).toHaveText('Todos');
  await ana.context.close();
});

test('Scenario: the printed list and a printed post carry the posts and none of the app controls', async ({ browser }) => {
  const { ana } = await anaWithAPost(browser);
  const chrome = ['Quick exit', 'Home', 'Messages', 'More', 'Category', 'Everything sent', 'Not connected', 'Edit'];
  await browse(ana.page);
  await expect(card(ana.page, 'Seed potatoes')).toBeVisible();
  const list = pdfText(await ana.page.pdf({ format: 'A4' }));
  expect(pdfContains(list, 'Seed potatoes from the allotment')).toBe(true);
  for (const word of chrome) expect(pdfContains(list, word), `list: ${word}`).toBe(false);
  await card(ana.page, 'Seed potatoes').getByRole('link').click();
  await expect(ana.page.getByTestId('intent-detail')).toBeVisible();
  const detail = pdfText(await ana.page.pdf({ format: 'A4' }));
  expect(pdfContains(detail, 'A whole sack, come with a bag')).toBe(true);
  // The post's own fields ("Category: …") are content here, not filters.
  for (const word of chrome.filter((w) => w !== 'Category')) expect(pdfContains(detail, word), `detail: ${word}`).toBe(false);
  await ana.context.close();
});

test('Scenario: a vouched member prints the noticeboard from More; someone not yet vouched gets a page that says why', async ({ browser }) => {
  const { ana } = await anaWithAPost(browser);
  const beto = await openPhone(browser, relay.url, touchPhone);
  const carla = await openPhone(browser, relay.url, touchPhone);
  await join(beto.page, 'Beto');
  await join(carla.page, 'Carla');
  await vouchFor(ana.page, beto.page, 'Beto');
  await vouchFor(beto.page, ana.page, 'Ana Lucía');

  await tapNav(beto.page, 'noticeboard');
  const sheet = beto.page.getByTestId('noticeboard-sheet');
  await expect(sheet.getByTestId('board-row').filter({ hasText: 'Seed potatoes' })).toBeVisible({ timeout: 30_000 });
  const printed = pdfText(await beto.page.pdf({ format: 'A4' }));
  for (const want of ['Community noticeboard', 'Seed potatoes from the allotment', 'Scan to open the app']) expect(pdfContains(printed, want), want).toBe(true);
  for (const word of ['Quick exit', 'Area', 'Messages']) expect(pdfContains(printed, word), word).toBe(false);

  await tapNav(carla.page, 'noticeboard');
  await expect(carla.page.getByTestId('print-gate')).toBeVisible();
  await expect(carla.page.getByTestId('noticeboard-sheet')).toHaveCount(0);
  expect(pdfContains(pdfText(await carla.page.pdf({ format: 'A4' })), 'Printing the noticeboard is for vouched members')).toBe(true);
  for (const p of [ana, beto, carla]) await p.context.close();
});
