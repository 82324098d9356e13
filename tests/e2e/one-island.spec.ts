import { expect, test } from './fixtures.ts';
import { relayPerTest } from './relay-per-test.ts';
import { browse, card, join, openPhone, post, tapNav } from './phone.ts';

// openspec/specs/island-sync/spec.md and offers-needs/spec.md
const relay = relayPerTest();

test('Scenario: an offer posted on one phone appears on another without reloading', async ({ browser }) => {
  const a = await openPhone(browser, relay.url);
  const b = await openPhone(browser, relay.url);
  await join(a.page, 'Ana');
  await join(b.page, 'Beto');

  await post(a.page, { kind: 'offer', title: 'Ripe tomatoes', description: 'From the community garden', category: 'food', quantity: '3', unit: 'kg', area: 'north' });
  await expect(card(b.page, 'Ripe tomatoes')).toBeVisible();
  await expect(card(b.page, 'Ripe tomatoes')).toContainText('3 kg');

  await post(b.page, { kind: 'need', title: 'Wheelbarrow for a day', category: 'tools' });
  await browse(a.page);
  await expect(card(a.page, 'Wheelbarrow for a day')).toBeVisible();

  // Both see who wrote what, and both phones report their changes as synced.
  await browse(b.page);
  await card(b.page, 'Ripe tomatoes').click();
  await expect(b.page.getByTestId('intent-detail')).toContainText('Ana');
  await expect(a.page.getByTestId('pending')).toHaveText('Everything sent');
  await a.context.close();
  await b.context.close();
});

test('Scenario: an author edits, hands over and withdraws their own posts; others see each change', async ({ browser }) => {
  const a = await openPhone(browser, relay.url);
  const b = await openPhone(browser, relay.url);
  await join(a.page, 'Ana');
  await join(b.page, 'Beto');
  await post(a.page, { kind: 'offer', title: 'Bike pump', category: 'tools' });
  await post(a.page, { kind: 'offer', title: 'Winter coat', category: 'clothing' });
  await expect(card(b.page, 'Bike pump')).toBeVisible();

  // Edit: only the author sees the controls; the new version reaches the other phone.
  await a.page.getByTestId('edit').click();
  await a.page.getByTestId('title').fill('Winter coat, size M');
  await a.page.getByTestId('submit').click();
  await expect(card(b.page, 'Winter coat, size M')).toBeVisible();

  // Mark given: asks first, records an EconomicEvent and closes the offer.
  a.page.once('dialog', (d) => void d.accept());
  await a.page.getByTestId('mark-done').click();
  await expect(a.page.getByTestId('intent-detail')).toContainText('Done');
  await expect(card(b.page, 'Winter coat')).toHaveCount(0);

  // Withdraw.
  await browse(a.page);
  await card(a.page, 'Bike pump').click();
  a.page.once('dialog', (d) => d.accept());
  await a.page.getByTestId('withdraw').click();
  await expect(card(b.page, 'Bike pump')).toHaveCount(0);
  await expect(b.page.getByTestId('empty')).toBeVisible();

  // Someone else's post shows no edit controls.
  await post(b.page, { kind: 'need', title: 'Ladder' });
  await browse(a.page);
  await card(a.page, 'Ladder').click();
  await expect(a.page.getByTestId('intent-detail')).toContainText('Beto');
  await expect(a.page.getByTestId('edit')).toHaveCount(0);
  await a.context.close();
  await b.context.close();
});

test('Scenario: search and filters narrow the list; an empty result says what to do', async ({ browser }) => {
  const a = await openPhone(browser, relay.url);
  await join(a.page, 'Ana');
  await expect(a.page.getByTestId('empty')).toContainText('Post an offer');
  await post(a.page, { kind: 'offer', title: 'Apples', description: 'sweet, from the orchard', category: 'food', area: 'south' });
  await post(a.page, { kind: 'offer', title: 'Drill', category: 'tools', area: 'north' });
  await post(a.page, { kind: 'need', title: 'Apple crates', category: 'other', area: 'south' });
  await browse(a.page);
  await expect(a.page.getByTestId('intent-card')).toHaveCount(3);

  await a.page.getByTestId('search').fill('apple');
  await expect(a.page.getByTestId('intent-card')).toHaveCount(2);
  await a.page.getByTestId('filter-kind').selectOption('need');
  await expect(a.page.getByTestId('intent-card')).toHaveCount(1);
  await expect(card(a.page, 'Apple crates')).toBeVisible();
  await a.page.getByTestId('search').fill('');
  await a.page.getByTestId('filter-kind').selectOption('');
  await a.page.getByTestId('filter-area').selectOption('north');
  await expect(a.page.getByTestId('intent-card')).toHaveCount(1);
  await a.page.getByTestId('filter-category').selectOption('food');
  await expect(a.page.getByTestId('empty')).toContainText('Nothing matches');
  await a.page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(a.page.getByTestId('intent-card')).toHaveCount(3);
  await a.context.close();
});

test('Scenario: invalid input gets a clear error and nothing is posted', async ({ browser }) => {
  const a = await openPhone(browser, relay.url);
  await a.page.getByTestId('welcome-next').click();
  await a.page.getByTestId('welcome-next').click();
  await expect(a.page.getByTestId('welcome-error')).toHaveText('Please choose a name.');
  await a.page.getByTestId('name').fill('Ana');
  await a.page.getByTestId('welcome-next').click();
  await a.page.getByTestId('welcome-next').click(); // no PIN
  await a.page.getByTestId('invite').fill('spm-invite:garbage');
  await a.page.getByTestId('join').click();
  await expect(a.page.getByTestId('welcome-error')).toContainText('invite code is not valid');
  await a.page.getByTestId('invite').fill('');
  await a.page.getByTestId('join').click();
  await expect(a.page.locator('main')).toHaveAttribute('data-phase', 'ready');

  await tapNav(a.page, 'offer');
  await a.page.getByTestId('submit').click();
  // Each error sits at its field, named in the summary; focus goes to the first one.
  await expect(a.page.getByTestId('error-title')).toHaveText('This field is required.');
  await expect(a.page.getByTestId('error-category')).toHaveText('Choose a category.');
  await expect(a.page.getByTestId('form-errors')).toContainText('Title: This field is required.');
  await expect(a.page.getByTestId('title')).toBeFocused();
  await expect(a.page.getByTestId('title')).toHaveAttribute('aria-describedby', 'error-title');
  await expect(a.page.getByTestId('category')).toHaveAttribute('aria-invalid', 'true');
  await a.page.getByTestId('title').fill('Rice');
  await a.page.getByTestId('category').selectOption({ index: 1 });
  await a.page.getByTestId('quantity').fill('-2');
  await a.page.getByTestId('unit').fill('kg');
  await a.page.getByTestId('submit').click();
  await expect(a.page.getByTestId('error-quantity')).toContainText('positive number');
  await expect(a.page.getByTestId('quantity')).toBeFocused();
  await expect(a.page.getByTestId('error-title')).toHaveCount(0);
  await browse(a.page);
  await expect(a.page.getByTestId('empty')).toBeVisible();
  await a.context.close();
});

test('Scenario: a second phone joins with an invite code copied from the first', async ({ browser }) => {
  const a = await openPhone(browser, relay.url);
  await join(a.page, 'Ana');
  await post(a.page, { kind: 'offer', title: 'Seedlings' });
  await tapNav(a.page, 'settings');
  const invite = await a.page.getByTestId('invite-code').inputValue();
  expect(invite).toMatch(/^spm-invite:/);
  const b = await openPhone(browser, relay.url);
  await join(b.page, 'Beto', invite);
  await expect(card(b.page, 'Seedlings')).toBeVisible();
  await a.context.close();
  await b.context.close();
});

test('Scenario: the main screens run under the relay Content-Security-Policy without a violation', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: relay.url, viewport: { width: 360, height: 740 } });
  // Record violations as the page sees them (the event) and as Chromium reports them (console errors).
  await context.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  const response = await page.goto('/');
  expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");

  await join(page, 'Ana');
  await post(page, { kind: 'offer', title: 'Spare bike lights', category: 'tools' });
  await browse(page);
  await expect(card(page, 'Spare bike lights')).toBeVisible();
  // Every screen in the main menu, and the QR code on "my code" (an inline SVG drawn on the phone).
  // Every screen in the bottom bar and its More list (tapNav opens More first where needed).
  for (const id of ['people', 'library', 'suggestions', 'messages', 'alerts', 'sanctuary'] as const) {
    await tapNav(page, id);
    await expect(page.locator('main h1')).toBeVisible();
  }
  await page.goto('/#/my-code');
  await expect(page.getByTestId('my-qr').locator('svg')).toBeVisible();
  await tapNav(page, 'settings');
  await expect(page.getByTestId('invite-code')).toBeVisible();
  // The wasm compiled (sync is up) and nothing was refused along the way.
  await expect(page.getByTestId('pending')).toHaveText('Everything sent');
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  await context.close();
});

test('Scenario: a screen’s code is fetched the first time it is opened, after the shell has painted', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: relay.url, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
  await page.goto('/');
  // The shell paints with no screen and no phone client code: index.html names neither; they come after it.
  const html = await (await page.request.get('/index.html')).text();
  expect(html).toMatch(/<script type="module"[^>]*src="\/assets\/index-/);
  expect(html).not.toMatch(/\/assets\/(client|screen)-/);
  await join(page, 'Ana');
  await expect(page.getByTestId('empty')).toBeVisible();
  expect(scripts.some((s) => /\/assets\/screen-library-/.test(s))).toBe(false);
  // The strings come per language too: an English phone never fetched the Spanish table.
  expect(scripts.filter((s) => /\/assets\/(en|es)-/.test(s)).map((s) => s.slice(8, 10))).toEqual(['en']);
  await tapNav(page, 'library');
  await expect(page.locator('main h1')).toBeFocused();
  expect(scripts.some((s) => /\/assets\/screen-library-/.test(s))).toBe(true);
  await context.close();
});
