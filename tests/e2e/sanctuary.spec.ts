import { expect, test, type Page } from './fixtures.ts';
import { pdfContains, pdfText } from '../helpers/pdf-text.ts';
import { relayPerTest } from './relay-per-test.ts';
import { vouchFor } from './vouching.ts';
import { join, openPhone, post, tapNav } from './phone.ts';
import { filesUnder } from '../helpers/files.ts';

// openspec/specs/sanctuary/spec.md — Sanctuary screens (PWA) and Printed list
const relay = relayPerTest();

const CASA = { kind: 'housing', title: 'Casa Rosa', area: 'North', contact: 'Ask a steward for Rosa', address: '12 Calle Luna', languages: 'es, en' };
const RIDE = { kind: 'transport', title: 'Ride to the clinic', area: 'South', contact: 'Signal the van driver', address: '' , languages: 'en' };
const LATER = { kind: 'food', title: 'Soup kitchen back door', area: 'North', contact: 'Knock twice', address: '4 Mill Lane', languages: '' };

async function sanctuary(page: Page): Promise<void> {
  await tapNav(page, 'sanctuary');
}

async function addEntry(page: Page, e: typeof CASA): Promise<void> {
  await page.getByTestId('sanctuary-add').click();
  const form = page.getByTestId('entry-form');
  await form.getByTestId('entry-kind').selectOption(e.kind);
  await form.getByTestId('entry-title').fill(e.title);
  await form.getByTestId('entry-capacity').fill('3');
  await form.getByTestId('entry-languages').fill(e.languages);
  await form.getByTestId('entry-area').fill(e.area);
  await form.getByTestId('entry-contact').fill(e.contact);
  await form.getByTestId('entry-address').fill(e.address);
  await form.getByTestId('entry-save').click();
  await expect(page.getByTestId('sanctuary-entry').filter({ hasText: e.title })).toBeVisible();
}

const medium = (ms: number) => new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date(ms));

test('Scenario: a steward adds entries; a trusted member sees them; an untrusted member and the relay do not; after a revocation the former member cannot read new entries; the printed list (A4, Letter) has dates and no addresses by default', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  const beto = await openPhone(browser, relay.url);
  const carla = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana'); // founder: a steward
  await join(beto.page, 'Beto');
  await join(carla.page, 'Carla');

  // Ana vouches for Beto (trusted); Beto and Carla each see the community through Ana; Beto vouches
  // for Carla. Two independent chains make Ana a steward in Beto's own view (0.93); Carla stays below
  // the trusted tier in Ana's view (0.64).
  await vouchFor(ana.page, beto.page, 'Beto');
  await vouchFor(beto.page, ana.page, 'Ana');
  await vouchFor(carla.page, ana.page, 'Ana');
  await vouchFor(beto.page, carla.page, 'Carla');

  // Ana sets the sanctuary up for trusted members and writes two entries.
  await sanctuary(ana.page);
  await ana.page.getByTestId('sanctuary-tier').selectOption('trusted');
  await ana.page.getByTestId('sanctuary-save-settings').click();
  await expect(ana.page.getByTestId('sanctuary-keys')).toHaveAttribute('data-epochs', '1');
  await addEntry(ana.page, CASA);
  await addEntry(ana.page, RIDE);

  // Beto, trusted, reads them (his phone got a key envelope and trusts Ana as a steward).
  await sanctuary(beto.page);
  await expect(beto.page.getByTestId('sanctuary-entry')).toHaveCount(2, { timeout: 30_000 });
  await expect(beto.page.getByTestId('sanctuary-entry').filter({ hasText: CASA.title })).toContainText(CASA.contact);
  await expect(beto.page.getByTestId('sanctuary-keys')).toHaveAttribute('data-epochs', '1');
  // Never visited: due for a check-in. One steward's visit clears the flag but is not two verifications.
  await expect(beto.page.getByTestId('sanctuary-entry').filter({ hasText: CASA.title })).toHaveAttribute('data-flag', 'check-in-due');
  const casa = ana.page.getByTestId('sanctuary-entry').filter({ hasText: CASA.title });
  await casa.getByTestId('entry-verify').click();
  await expect(casa).toHaveAttribute('data-flag', '');
  await expect(casa).toHaveAttribute('data-verified', 'false');
  // An edit by the steward replaces the entry on the member's phone.
  const ride = ana.page.getByTestId('sanctuary-entry').filter({ hasText: RIDE.title });
  await ride.getByTestId('entry-edit').click();
  await ana.page.getByTestId('entry-form').getByTestId('entry-contact').fill('Signal the van driver, after 6 pm');
  await ana.page.getByTestId('entry-form').getByTestId('entry-save').click();
  await expect(beto.page.getByTestId('sanctuary-entry').filter({ hasText: RIDE.title })).toContainText('after 6 pm');
  await expect(beto.page.getByTestId('sanctuary-entry')).toHaveCount(2);

  // Carla, below the tier, has no key and sees no entry — only the way to ask a steward.
  await sanctuary(carla.page);
  await expect(carla.page.getByTestId('sanctuary-gate')).toBeVisible();
  // …and what she still needs, in plain words (the list is for trusted members here).
  await expect(carla.page.getByTestId('sanctuary-gate-needs')).toHaveText(/one more person who knows you well/);
  await expect(carla.page.getByTestId('sanctuary-waiting-key')).toHaveCount(0);
  await expect(carla.page.getByTestId('sanctuary-keys')).toHaveAttribute('data-epochs', '');
  await expect(carla.page.getByTestId('sanctuary-keys')).toHaveAttribute('data-readable', '0');
  await expect(carla.page.getByTestId('sanctuary-entry')).toHaveCount(0);
  await expect(carla.page.getByTestId('ask-steward').filter({ hasText: 'Ana' })).toHaveAttribute('href', /#\/messages\//);

  // The relay stores the sanctuary doc (Beto's phone got it from there) but never its contents.
  await expect.poll(async () => (await filesUnder(relay.dataDir)).length).toBeGreaterThan(0);
  for (const bytes of await filesUnder(relay.dataDir)) {
    for (const secret of [CASA.title, CASA.address, CASA.contact, RIDE.title, RIDE.contact]) expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
  }

  // Printing: Ana's list for all areas and kinds, as A4 and Letter, without addresses by default.
  await ana.page.getByTestId('sanctuary-print').click();
  const sheet = ana.page.getByTestId('print-sheet');
  await expect(sheet.getByTestId('print-row')).toHaveCount(2);
  const printed = Number(await sheet.getAttribute('data-printed'));
  const expires = Number(await sheet.getAttribute('data-expires'));
  expect(expires - printed).toBe(7 * 24 * 3600e3);
  for (const format of ['A4', 'Letter'] as const) {
    const text = pdfText(await ana.page.pdf({ format }));
    for (const want of ['Safe places', `Printed ${medium(printed)}`, `Valid until ${medium(expires)}`, `Destroy this sheet after ${medium(expires)}`, CASA.title, CASA.contact, RIDE.title, RIDE.contact, 'Scan to open the app']) {
      expect(pdfContains(text, want), `${format}: ${want}`).toBe(true);
    }
    expect(pdfContains(text, CASA.address), `${format}: no address`).toBe(false);
    expect(pdfContains(text, 'Quick exit') || pdfContains(text, 'Everything sent'), `${format}: no app chrome`).toBe(false);
    expect(pdfContains(text, 'exact addresses'), `${format}: no address warning`).toBe(false);
  }
  // Filtered by kind; then addresses only after confirming, with a warning on the sheet.
  await ana.page.getByTestId('print-kind').selectOption('transport');
  await expect(sheet.getByTestId('print-row')).toHaveCount(1);
  await ana.page.getByTestId('print-kind').selectOption('');
  ana.page.once('dialog', (d) => void d.accept());
  await ana.page.getByTestId('print-addresses').check();
  await expect(sheet.getByTestId('print-address-warning')).toBeVisible();
  const withAddresses = pdfText(await ana.page.pdf({ format: 'Letter' }));
  expect(pdfContains(withAddresses, CASA.address)).toBe(true);
  expect(pdfContains(withAddresses, 'This sheet contains exact addresses')).toBe(true);

  // Ana revokes her vouch for Beto: her phone rotates the key; the new entry is sealed to epoch 2.
  await ana.page.getByTestId('nav-people').click();
  await ana.page.getByTestId('person-row').filter({ hasText: 'Beto' }).click();
  ana.page.once('dialog', (d) => void d.accept());
  await ana.page.getByTestId('revoke').click();
  await sanctuary(ana.page);
  // Her keyring holds epoch 2 and, through the key chain in the new envelope, still epoch 1.
  await expect(ana.page.getByTestId('sanctuary-keys')).toHaveAttribute('data-epochs', '1,2', { timeout: 30_000 });
  await expect(ana.page.getByTestId('sanctuary-entry')).toHaveCount(2); // re-sealed, still readable by stewards
  await addEntry(ana.page, LATER);

  // Beto got no envelope for epoch 2 (the epoch-1 envelopes are retired from the community doc): his
  // phone opens none of the re-sealed or new entries. What he read before stays read: rotation protects
  // the future, not the past.
  await sanctuary(beto.page);
  await expect(beto.page.getByTestId('sanctuary-gate')).toBeVisible({ timeout: 30_000 });
  await expect(beto.page.getByTestId('sanctuary-keys')).toHaveAttribute('data-readable', '0', { timeout: 30_000 });
  await expect(beto.page.getByTestId('sanctuary-keys')).not.toHaveAttribute('data-epochs', /2/);
  for (const bytes of await filesUnder(relay.dataDir)) expect(bytes.includes(Buffer.from(LATER.title))).toBe(false);

  // The printable noticeboard lists current public offers without names.
  await post(ana.page, { kind: 'offer', title: 'Sourdough starter' });
  await ana.page.goto('/#/noticeboard');
  await expect(ana.page.getByTestId('board-row').filter({ hasText: 'Sourdough starter' })).toBeVisible();
  const board = pdfText(await ana.page.pdf({ format: 'A4' }));
  expect(pdfContains(board, 'Community noticeboard')).toBe(true);
  expect(pdfContains(board, 'Sourdough starter')).toBe(true);

  for (const p of [ana, beto, carla]) await p.context.close();
});

/** An organiser names another member organiser in the community's signed settings. */
async function nameOrganiser(page: Page, agentName: string): Promise<void> {
  await page.evaluate(() => (location.hash = '#/community-settings'));
  const form = page.getByTestId('community-settings');
  await expect(form).toHaveAttribute('data-organiser', 'true', { timeout: 30_000 });
  await page.getByTestId('cs-organisers').locator('label', { hasText: agentName }).getByTestId('cs-organiser').check();
  await page.getByTestId('cs-save').click();
  await expect(page.getByTestId('cs-saved')).toBeVisible();
}

test('Scenario: a second organiser verifies and reads', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  const beto = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana'); // first member: the relay names her organiser
  await join(beto.page, 'Beto');
  await vouchFor(ana.page, beto.page, 'Beto');
  // Ana names Beto organiser in the signed settings: every phone reads the same two organisers.
  await nameOrganiser(ana.page, 'Beto');
  await sanctuary(ana.page);
  await ana.page.getByTestId('sanctuary-save-settings').click();
  await expect(ana.page.getByTestId('sanctuary-keys')).toHaveAttribute('data-epochs', '1');
  await addEntry(ana.page, CASA);

  // Beto reads Ana's entry (her key counts on his phone because she is an organiser for everyone),
  // adds one of his own, and both organisers' visits make Casa Rosa verified on both phones.
  await sanctuary(beto.page);
  await expect(beto.page.getByTestId('sanctuary-entry').filter({ hasText: CASA.title })).toContainText(CASA.contact, { timeout: 30_000 });
  await addEntry(beto.page, RIDE);
  await expect(ana.page.getByTestId('sanctuary-entry').filter({ hasText: RIDE.title })).toContainText(RIDE.contact, { timeout: 30_000 });
  await beto.page.getByTestId('sanctuary-entry').filter({ hasText: CASA.title }).getByTestId('entry-verify').click();
  await ana.page.getByTestId('sanctuary-entry').filter({ hasText: CASA.title }).getByTestId('entry-verify').click();
  for (const p of [ana, beto]) await expect(p.page.getByTestId('sanctuary-entry').filter({ hasText: CASA.title })).toHaveAttribute('data-verified', 'true', { timeout: 30_000 });
  for (const p of [ana, beto]) await p.context.close();
});

test('Scenario: a trusted member with one chain reads', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  const carla = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana');
  await join(carla.page, 'Carla');
  // One vouch, one way: Carla is trusted through Ana alone and never vouched for anyone herself.
  await vouchFor(ana.page, carla.page, 'Carla');
  await sanctuary(ana.page);
  await ana.page.getByTestId('sanctuary-tier').selectOption('trusted');
  await ana.page.getByTestId('sanctuary-save-settings').click();
  await addEntry(ana.page, CASA);

  await sanctuary(carla.page);
  await expect(carla.page.getByTestId('sanctuary-keys')).toHaveAttribute('data-epochs', '1', { timeout: 30_000 });
  await expect(carla.page.getByTestId('sanctuary-waiting-key')).toHaveCount(0); // the key came: nothing left to wait for
  await expect(carla.page.getByTestId('sanctuary-entry').filter({ hasText: CASA.title })).toContainText(CASA.contact);
  await expect(carla.page.getByTestId('sanctuary-add')).toHaveCount(0); // a reader, not an organiser
  for (const p of [ana, carla]) await p.context.close();
});
