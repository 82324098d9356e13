import { expect, test, type Page } from '@playwright/test';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { browse, card, join, openPhone, post, tapNav } from './phone.ts';
import { vouchFor } from './vouching.ts';

// openspec/specs/agents/spec.md — agents propose, people decide
let relay: RelayProcess;
test.beforeEach(async () => {
  relay = await startRelayProcess();
});
test.afterEach(async () => {
  await relay.cleanup();
});

async function open(page: Page, title: string): Promise<void> {
  await browse(page);
  await card(page, title).click();
  await expect(page.getByTestId('intent-detail')).toContainText(title);
}

test('Scenario: a matching offer is suggested with its explanation; accepting asks the giver, who confirms; the commitment and the hand-over show on both phones', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  const beto = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana');
  await join(beto.page, 'Beto');
  await post(ana.page, { kind: 'offer', title: 'Wheelbarrow', category: 'tools', area: 'north' });
  await post(beto.page, { kind: 'need', title: 'Something to haul compost', category: 'tools', area: 'north' });

  await tapNav(beto.page, 'suggestions');
  const match = beto.page.locator('[data-testid="suggestion"][data-kind="match"]').first();
  await expect(match).toContainText('Wheelbarrow', { timeout: 30_000 });
  await match.getByText('Why am I seeing this?').click();
  await expect(match.getByTestId('explanation')).toContainText('%');
  await match.getByTestId('accept').click();
  await expect(beto.page.getByTestId('agents-notice')).toContainText('Asked');

  await open(ana.page, 'Wheelbarrow');
  await expect(ana.page.getByTestId('request')).toContainText('Beto asks for it', { timeout: 30_000 });
  await ana.page.getByTestId('confirm').click();
  await expect(ana.page.getByTestId('commitment')).toContainText('Agreed: Ana gives to Beto');

  await open(beto.page, 'Something to haul compost');
  await expect(beto.page.getByTestId('commitment')).toContainText('Agreed: Ana gives to Beto', { timeout: 30_000 });

  ana.page.once('dialog', (d) => void d.accept()); // "Mark this as given?"
  await ana.page.getByTestId('hand-over').click();
  await expect(ana.page.getByTestId('handed-over')).toBeVisible();
  await expect(beto.page.getByTestId('handed-over')).toBeVisible({ timeout: 30_000 });

  // Declined suggestions stay declined.
  await tapNav(beto.page, 'suggestions');
  await expect(beto.page.locator('[data-testid="suggestion"][data-kind="match"]')).toHaveCount(0);
  await ana.context.close();
  await beto.context.close();
});

test('Scenario: a decision is proposed, a consent round is opened, a member consents and the facilitator records it adopted — on both phones', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  const beto = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana');
  await join(beto.page, 'Beto');
  // Decisions are sealed to vouched members: before anyone vouches for Beto his page says so in plain words.
  await beto.page.goto('/#/decisions');
  await expect(beto.page.getByTestId('decisions-sealed')).toBeVisible();
  await vouchFor(ana.page, beto.page, 'Beto');
  await ana.page.goto('/#/decisions');
  await ana.page.getByTestId('decision-title').fill('Share the big pot on Sundays');
  await ana.page.getByTestId('decision-submit').click();
  const mine = ana.page.getByTestId('decision').filter({ hasText: 'Share the big pot' });
  await expect(mine).toHaveAttribute('data-phase', 'discussion');
  await mine.getByTestId('open-round').click();
  await expect(mine).toHaveAttribute('data-phase', 'round-open');

  await beto.page.goto('/#/decisions');
  const theirs = beto.page.getByTestId('decision').filter({ hasText: 'Share the big pot' });
  await expect(theirs).toHaveAttribute('data-phase', 'round-open', { timeout: 30_000 });
  await theirs.getByTestId('consent').click();
  await expect(mine.getByTestId('decision-tally')).toContainText('1 consent', { timeout: 30_000 });
  await mine.getByTestId('record-adopted').click();
  await expect(mine.getByTestId('decision-outcome')).toHaveText('Adopted');
  await expect(theirs.getByTestId('decision-outcome')).toHaveText('Adopted', { timeout: 30_000 });
  await ana.context.close();
  await beto.context.close();
});

test('Scenario: posts made in the app with "what kind of help" feed the work-party scheduler and the commons router', async ({ browser }) => {
  test.setTimeout(240_000);
  const ana = await openPhone(browser, relay.url);
  const beto = await openPhone(browser, relay.url);
  const carla = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana');
  await join(beto.page, 'Beto');
  await join(carla.page, 'Carla');
  await vouchFor(ana.page, beto.page, 'Beto'); // so Beto may post offers

  // Two people offer hands-on help; Ana lends a ladder; Carla asks for both kinds of help.
  await post(ana.page, { kind: 'offer', title: 'Free to help on weekends', category: 'skills', action: 'work' });
  await post(beto.page, { kind: 'offer', title: 'I can dig and carry', category: 'skills', action: 'work' });
  await post(ana.page, { kind: 'offer', title: 'Long ladder', category: 'tools', action: 'use' });
  await post(carla.page, { kind: 'need', title: 'Build a garden fence', category: 'skills', action: 'work' });
  await post(carla.page, { kind: 'need', title: 'Ladder to fix the roof', category: 'tools', action: 'use' });

  await tapNav(ana.page, 'suggestions');
  const party = ana.page.locator('[data-testid="suggestion"][data-agent="WorkPartyScheduler"]').first();
  await expect(party).toContainText('Work party for "Build a garden fence"', { timeout: 60_000 });
  const route = ana.page.locator('[data-testid="suggestion"][data-agent="CommonsRouter"]').first();
  await expect(route).toContainText('"Long ladder" (held by Ana) could go next to Carla', { timeout: 60_000 });
});
