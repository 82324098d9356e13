import { expect, test, type Page } from './fixtures.ts';
import { relayPerTest } from './relay-per-test.ts';
import { join, openForm, openPhone, openTouchPhone } from './phone.ts';
import { vouchFor } from './vouching.ts';

// openspec/changes/trust-settings — community settings set by organisers; trust defaults that work for people
const relay = relayPerTest();

async function openSettings(page: Page): Promise<void> {
  await page.evaluate(() => (location.hash = '#/community-settings'));
  await expect(page.getByTestId('community-settings')).toBeVisible();
}

async function codeOf(page: Page): Promise<string> {
  await page.getByTestId('nav-people').click();
  await page.getByTestId('my-code').click();
  await expect(page.getByTestId('code-ask')).toContainText('Ask them to scan this so they can vouch for you');
  return page.getByTestId('my-code-text').inputValue();
}

test('Scenario: an organiser changes a category and a threshold and a member sees it; a non-organiser cannot change settings', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  const beto = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana'); // first member: the relay names her organiser
  await join(beto.page, 'Beto');

  await openSettings(ana.page);
  const form = ana.page.getByTestId('community-settings');
  await expect(form).toHaveAttribute('data-organiser', 'true', { timeout: 30_000 });

  // A threshold of 0 is refused with a clear error, and nothing is written.
  await ana.page.getByTestId('cs-threshold-view').fill('0');
  await ana.page.getByTestId('cs-save').click();
  await expect(ana.page.getByTestId('cs-error')).toContainText('cannot need 0%');

  // Rename a category, add one, raise the posting bar.
  await ana.page.getByTestId('cs-threshold-view').fill('20');
  const names = ana.page.getByTestId('cs-categories-name');
  const at = await names.evaluateAll((els) => els.findIndex((e) => (e as HTMLInputElement).value === 'Tools'));
  expect(at).toBeGreaterThanOrEqual(0);
  const tools = names.nth(at);
  await tools.fill('Tools and repairs');
  await ana.page.getByTestId('cs-categories-new').fill('Seeds');
  await ana.page.getByTestId('cs-categories-add').click();
  await ana.page.getByTestId('cs-threshold-post').fill('40');
  await ana.page.getByTestId('cs-threshold-message').fill('40');
  // Organisers weigh a helper's score: the matchmaker counts the same area for more.
  const weights = ana.page.getByTestId('cs-weights-MutualAidMatchmaker');
  await weights.locator('summary').click();
  await weights.getByTestId('cs-weight-location').fill('60');
  await ana.page.getByTestId('cs-save').click();
  await expect(ana.page.getByTestId('cs-saved')).toBeVisible();

  // Beto sees the new settings, read-only, and the new categories in his post form.
  await openSettings(beto.page);
  await expect(beto.page.getByTestId('community-settings')).toHaveAttribute('data-organiser', 'false');
  await expect(beto.page.getByTestId('cs-role')).toContainText('Only organisers can change these');
  await expect(beto.page.getByTestId('cs-threshold-post')).toHaveValue('40', { timeout: 30_000 });
  await expect(beto.page.getByTestId('cs-threshold-post')).toBeDisabled();
  await expect(beto.page.getByTestId('cs-save')).toHaveCount(0);
  const seen = beto.page.getByTestId('cs-weights-MutualAidMatchmaker');
  await seen.locator('summary').click();
  await expect(seen.getByTestId('cs-weight-location')).toHaveValue('60');
  await expect(seen.getByTestId('cs-weight-location')).toBeDisabled();
  await openForm(beto.page, 'need');
  await expect(beto.page.getByTestId('category').locator('option', { hasText: 'Tools and repairs' })).toHaveCount(1);
  await expect(beto.page.getByTestId('category').locator('option', { hasText: 'Seeds' })).toHaveCount(1);

  // The newcomer sees the organiser as trusted before anyone vouched for him.
  await beto.page.getByTestId('nav-people').click();
  await expect(beto.page.getByTestId('person-row').filter({ hasText: 'Ana' })).toContainText('Trusted', { timeout: 30_000 });
  await expect(beto.page.getByTestId('still-needs')).toContainText('one person who knows you');

  // Ana vouches for him in person with the default "I know them": he may now post offers and message.
  const code = await codeOf(beto.page);
  await ana.page.getByTestId('nav-people').click();
  await ana.page.getByTestId('vouch').click();
  await ana.page.getByTestId('paste-code').fill(code);
  await ana.page.getByTestId('read-code').click();
  await expect(ana.page.getByTestId('vouch-who')).toContainText('This does not make Beto vouch for you');
  await ana.page.getByTestId('sign-vouch').click();
  await expect(ana.page.getByTestId('vouch-done')).toContainText('Beto');

  await beto.page.getByTestId('nav-people').click();
  await expect(beto.page.getByTestId('vouched-for-you')).toContainText('Ana vouched for you', { timeout: 30_000 });
  await expect(beto.page.getByTestId('vouched-for-you')).toContainText('post offers');
  await expect(beto.page.getByTestId('vouched-for-you')).toContainText('send messages');
  await openForm(beto.page, 'offer');
  await expect(beto.page.getByTestId('gate')).toHaveCount(0);

  // openspec/changes/member-removal — an organiser removes a member and makes a new invite link, asked first in plain words.
  await openSettings(ana.page);
  const access = ana.page.getByTestId('member-access');
  await access.getByTestId('mr-member').filter({ hasText: 'Beto' }).getByTestId('mr-remove').click();
  await expect(access.getByTestId('mr-confirm')).toContainText('Remove Beto? Their phone is cut off from the community hub');
  await access.getByTestId('mr-yes').click();
  await expect(access.getByTestId('mr-removed')).toHaveCount(1, { timeout: 30_000 });
  await expect(access.getByTestId('mr-member').filter({ hasText: 'Beto' })).toHaveCount(0);
  await access.getByTestId('mr-new-link').click();
  await expect(access.getByTestId('mr-confirm')).toContainText('Nobody new can join with an old link or QR code');
  await access.getByTestId('mr-yes').click();
  await expect(access.getByTestId('mr-link')).toHaveValue(/^spm-invite:/);
});

// openspec/changes/trust-settings — before saving, the organiser sees who a threshold change touches
test('Scenario: an organiser moving a threshold sees, before saving, which member would lose or gain what', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  const beto = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana'); // first member: the relay names her organiser
  await join(beto.page, 'Beto');
  await vouchFor(ana.page, beto.page, 'Beto'); // Beto may now post offers and send messages
  await beto.page.getByTestId('nav-people').click();
  await expect(beto.page.getByTestId('vouched-for-you')).toContainText('post offers', { timeout: 30_000 });

  await openSettings(ana.page);
  await expect(ana.page.getByTestId('community-settings')).toHaveAttribute('data-organiser', 'true', { timeout: 30_000 });
  const preview = ana.page.getByTestId('cs-preview');
  await expect(preview).toContainText('Nobody you can see gains or loses anything.');

  // Raising the bar for vouching past Beto's standing (and the organisers' bar above it, as the steps
  // must rise): the preview names him and what he would lose.
  await ana.page.getByTestId('cs-threshold-steward').fill('100');
  await ana.page.getByTestId('cs-threshold-vouch').fill('100');
  await expect(preview.getByTestId('cs-loses')).toContainText('Beto could no longer: vouch for others', { timeout: 30_000 });
  await expect(preview.getByTestId('cs-gains')).toHaveCount(0);
  // Not saved yet: Beto's phone still reads the old bar (and shows no preview: it is the organisers').
  await openSettings(beto.page);
  await expect(beto.page.getByTestId('cs-threshold-vouch')).toHaveValue('70');
  await expect(beto.page.getByTestId('cs-preview')).toHaveCount(0);
  await ana.page.getByTestId('cs-save').click();
  await expect(ana.page.getByTestId('cs-saved')).toBeVisible();
  await expect(beto.page.getByTestId('cs-threshold-vouch')).toHaveValue('100', { timeout: 30_000 });

  // Lowering it again: before saving, the preview says Beto would gain vouching back.
  await expect(preview).toContainText('Nobody you can see gains or loses anything.');
  await ana.page.getByTestId('cs-threshold-vouch').fill('70');
  await expect(preview.getByTestId('cs-gains')).toContainText('Beto could now: vouch for others');
  await expect(preview.getByTestId('cs-loses')).toHaveCount(0);
});

// openspec/specs/community-settings (change community-hubs) — organisers keep the list of hubs whose changes count
for (const [locale, words] of [
  ['en', { thisHub: 'This hub (you are connected to it)', none: 'No hub is on the list', confirm: 'Take this hub off the list?' }],
  ['es', { thisHub: 'Este centro (estás conectado a él)', none: 'No hay ningún centro en la lista', confirm: '¿Quitar este centro de la lista?' }],
] as const) {
  test(`Scenario: an organiser takes a lost hub off the list and adds the hub they stand at, at 360 px with touch (${locale})`, async ({ browser }) => {
    const ana = await openTouchPhone(browser, relay.url, locale);
    await join(ana.page, 'Ana'); // first member: the relay names her organiser
    await openSettings(ana.page);
    const hubs = ana.page.getByTestId('community-hubs');
    // The hub founded the community and named itself.
    await expect(hubs.getByTestId('hubs-entry')).toHaveCount(1, { timeout: 30_000 });
    await expect(hubs.getByTestId('hubs-entry')).toContainText(words.thisHub);
    await hubs.getByTestId('hubs-remove').tap();
    await expect(hubs.getByTestId('hubs-confirm')).toContainText(words.confirm);
    await hubs.getByTestId('hubs-yes').tap();
    await expect(hubs.getByTestId('hubs-none')).toContainText(words.none);
    await expect(hubs.getByTestId('hubs-entry')).toHaveCount(0);
    // The list is a signed setting: it is still empty after a reload, and the hub can be added back.
    await ana.page.reload();
    await openSettings(ana.page);
    await expect(hubs.getByTestId('hubs-none')).toBeVisible();
    await hubs.getByTestId('hubs-add').tap();
    await expect(hubs.getByTestId('hubs-entry')).toContainText(words.thisHub);
    await expect(hubs.getByTestId('hubs-add')).toHaveCount(0);
    expect(await ana.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await ana.context.close();
  });
}
