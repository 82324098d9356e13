import { expect, test, type Page } from './fixtures.ts';
import { relayPerTest } from './relay-per-test.ts';
import { browse, card, join, openPhone, post, tapNav } from './phone.ts';

// openspec/specs/web-of-trust/spec.md — vouching in person, trust-gated posting
const relay = relayPerTest();

async function people(page: Page): Promise<void> {
  await page.getByTestId('nav-people').click();
}

async function myCode(page: Page): Promise<{ words: string; text: string }> {
  await people(page);
  await page.getByTestId('my-code').click();
  await expect(page.getByTestId('my-qr').locator('svg')).toBeVisible();
  return { words: (await page.getByTestId('my-words').textContent())!.trim(), text: await page.getByTestId('my-code-text').inputValue() };
}

async function confirmVouch(page: Page, name: string, words: string, note = ''): Promise<void> {
  const confirm = page.getByTestId('vouch-confirm');
  await expect(confirm).toContainText(name);
  await expect(page.getByTestId('their-words')).toHaveText(words);
  await page.getByTestId('strength-3').check();
  if (note) await page.getByTestId('vouch-note').fill(note);
  await page.getByTestId('sign-vouch').click();
  await expect(page.getByTestId('vouch-done')).toContainText(name);
}

async function offerGate(page: Page): Promise<'open' | 'closed'> {
  await tapNav(page, 'offer');
  const form = page.getByTestId('intent-form');
  const gate = page.getByTestId('gate');
  await expect(form.or(gate)).toBeVisible();
  return (await form.isVisible()) ? 'open' : 'closed';
}

test('Scenario: two phones exchange codes (pasted and a QR photo), vouch, and posting offers opens; revocation closes it', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  const beto = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana'); // first member: founder
  await join(beto.page, 'Beto'); // no invite: a newcomer

  // The newcomer can post needs (flagged) but not offers, and is told how to get vouched.
  expect(await offerGate(beto.page)).toBe('closed');
  await post(beto.page, { kind: 'need', title: 'Winter boots, size 40' });
  await expect(card(ana.page, 'Winter boots, size 40').getByTestId('unvouched')).toBeVisible();
  await people(beto.page);
  await expect(beto.page.getByTestId('my-tier')).toHaveAttribute('data-tier', 'unknown');
  await expect(beto.page.getByTestId('how-to-get-vouched')).toBeVisible();

  // Ana vouches for Beto from his pasted code, after checking his key words.
  const betoCode = await myCode(beto.page);
  await people(ana.page);
  await ana.page.getByTestId('vouch').click();
  await ana.page.getByTestId('paste-code').fill(betoCode.text);
  await ana.page.getByTestId('read-code').click();
  await confirmVouch(ana.page, 'Beto', betoCode.words, 'Met him at the seed swap');

  // Beto vouches for Ana from a photo of her screen: a screenshot of her QR code, decoded on his phone.
  const anaCode = await myCode(ana.page);
  const photo = await ana.page.getByTestId('my-qr').screenshot();
  await people(beto.page);
  await beto.page.getByTestId('vouch').click();
  await beto.page.getByTestId('scan-photo').setInputFiles({ name: 'code.png', mimeType: 'image/png', buffer: photo });
  await confirmVouch(beto.page, 'Ana', anaCode.words);

  // Beto now sees the community through Ana, whose full-strength vouch (0.8) makes him trusted: offers open.
  await people(beto.page);
  await expect(beto.page.getByTestId('my-tier')).toHaveAttribute('data-tier', 'trusted');
  expect(await offerGate(beto.page)).toBe('open');
  await post(beto.page, { kind: 'offer', title: 'Sourdough starter' });
  await browse(ana.page);
  await expect(card(ana.page, 'Sourdough starter')).toBeVisible();
  await expect(card(ana.page, 'Sourdough starter').getByTestId('unvouched')).toHaveCount(0);

  // Ana's page for Beto explains why: her own vouch.
  await people(ana.page);
  await ana.page.getByTestId('person-row').filter({ hasText: 'Beto' }).click();
  await expect(ana.page.getByTestId('person-trust')).toHaveAttribute('data-tier', 'trusted');
  await expect(ana.page.getByTestId('why')).toContainText('Beto');
  // Her note is sealed to the members; her phone, which holds the members' key, shows it.
  await expect(ana.page.getByTestId('my-vouch').getByTestId('vouch-note-shown')).toHaveText('Met him at the seed swap');

  // Ana revokes: Beto's offer gate closes again, and Ana reads his posts as unvouched.
  ana.page.once('dialog', (d) => void d.accept());
  await ana.page.getByTestId('revoke').click();
  await expect(ana.page.getByTestId('my-vouch')).toHaveCount(0);
  await people(beto.page);
  await expect(beto.page.getByTestId('my-tier')).toHaveAttribute('data-tier', 'unknown');
  expect(await offerGate(beto.page)).toBe('closed');
  await browse(ana.page);
  await expect(card(ana.page, 'Sourdough starter').getByTestId('unvouched')).toBeVisible();

  await ana.context.close();
  await beto.context.close();
});

test('Scenario: a forged or foreign code is refused with a clear reason and nothing is signed', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana');
  const own = await myCode(ana.page);
  await people(ana.page);
  await ana.page.getByTestId('vouch').click();
  await ana.page.getByTestId('paste-code').fill(own.text);
  await ana.page.getByTestId('read-code').click();
  await expect(ana.page.getByTestId('vouch-error')).toHaveText('That is your own code.');
  // One character changed inside the signed payload.
  const i = own.text.length - 60;
  const forged = own.text.slice(0, i) + (own.text[i] === 'A' ? 'B' : 'A') + own.text.slice(i + 1);
  await ana.page.getByTestId('paste-code').fill(forged);
  await ana.page.getByTestId('read-code').click();
  await expect(ana.page.getByTestId('vouch-error')).toContainText(/signature|damaged|wrong contents/);
  await expect(ana.page.getByTestId('vouch-confirm')).toHaveCount(0);
  await ana.context.close();
});
