import { expect, test, type Page } from './fixtures.ts';
import { PLANTS } from '../../agents/plant-table.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { walkWelcome } from '../helpers/welcome-flow.ts';
import { browse, card, join, openPhone, openTouchPhone, post, tapNav, type Phone } from './phone.ts';
import { vouchFor } from './vouching.ts';

// openspec/specs/agents/spec.md — agents propose, people decide
async function open(page: Page, title: string): Promise<void> {
  await browse(page);
  await card(page, title).click();
  await expect(page.getByTestId('intent-detail')).toContainText(title);
}

test.describe('people agree on what the agents propose', () => {
  let relay: RelayProcess;
  test.beforeEach(async () => {
    relay = await startRelayProcess();
  });
  test.afterEach(async () => {
    await relay.cleanup();
  });

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
});

const DAY = 24 * 3600_000;

function suggestion(page: Page, agent: string, kind: string) {
  return page.locator(`[data-testid="suggestion"][data-agent="${agent}"][data-kind="${kind}"]`);
}

/** Reopens the Suggestions screen, so the phone's agents run again on what it holds now. */
async function suggestionsOf(page: Page): Promise<void> {
  await browse(page);
  await tapNav(page, 'suggestions');
}

/**
 * One small community, four phones at 360x740 with touch (Dani's in Spanish), joined once; every post is
 * made through the app's forms with the plain-words "what kind of help", and each scenario checks that one
 * data-driven agent proposes from it. Agents that wait for time to pass (a need waiting days, a newcomer
 * settling in, a discussion ending, needs in different weeks) are checked on Ana's phone with its clock
 * moved eight days on, as if she looked again a week later: the data stays what the app wrote.
 */
test.describe.serial('agents propose from posts made in the app', () => {
  // Each scenario posts a few times through the forms and waits for the agents to rerun on four phones.
  let relay: RelayProcess;
  let ana: Phone, beto: Phone, carla: Phone, dani: Phone;
  // A plant the planner's table has in season this month (northern hemisphere, the default).
  const month = new Date().getUTCMonth() + 1;
  const plant = PLANTS.find((p) => p.months.includes(month) && !p.id.includes('-'))!;
  const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);

  test.beforeAll(async ({ browser }) => {
    relay = await startRelayProcess();
    ana = await openTouchPhone(browser, relay.url);
    beto = await openTouchPhone(browser, relay.url);
    carla = await openTouchPhone(browser, relay.url);
    dani = await openTouchPhone(browser, relay.url, 'es');
    await join(ana.page, 'Ana'); // the first to join: an organiser
    await join(beto.page, 'Beto');
    await join(carla.page, 'Carla');
    await walkWelcome(dani.page, { name: 'Dani', language: 'es' });
    await expect(dani.page.locator('main')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
  });
  test.afterAll(async () => {
    for (const p of [ana, beto, carla, dani]) await p?.context.close();
    await relay?.cleanup();
  });

  test('Scenario: three people join through the app and the joy helper proposes a welcome gathering', async () => {
    await tapNav(ana.page, 'suggestions');
    await expect(suggestion(ana.page, 'InsurrectionaryJoy', 'welcome-gathering')).toContainText('3 people joined recently', { timeout: 60_000 });
  });

  test('Scenario: food offered in the app that spoils tomorrow is proposed for pick-up by someone who asked for food', async () => {
    await post(ana.page, { kind: 'offer', title: 'Fresh bread', category: 'food', action: 'transfer', expires: tomorrow });
    await post(beto.page, { kind: 'need', title: 'Bread for the kids', category: 'food', action: 'transfer' });
    await suggestionsOf(ana.page);
    await expect(suggestion(ana.page, 'PerishablesDispatcher', 'pickup').first()).toContainText('Beto could pick up "Fresh bread"', { timeout: 60_000 });
  });

  test('Scenario: a lesson offered as work and a need to learn the same skill are proposed as a skill share', async () => {
    await post(ana.page, { kind: 'offer', title: 'Bike repair lessons', category: 'skills', action: 'work' });
    await post(carla.page, { kind: 'need', title: 'Learn bike repair', category: 'skills', action: 'work' });
    await suggestionsOf(ana.page);
    await expect(suggestion(ana.page, 'EducationPathfinder', 'skill-share').first()).toContainText('Bike repair lessons', { timeout: 60_000 });
  });

  test('Scenario: a need for a plant in season is proposed for sowing or planting by the planner', async () => {
    await post(carla.page, { kind: 'need', title: `${plant.name} for the shared garden`, category: 'other', action: 'transfer' });
    await suggestionsOf(ana.page);
    await expect(ana.page.locator('[data-testid="suggestion"][data-agent="PermaculturePlanner"]').first()).toContainText(plant.name, { timeout: 60_000 });
  });

  test('Scenario: four people asking for help with the rent make the pooling, stock and solidarity helpers propose, in English and in Spanish', async () => {
    for (const p of [ana, beto, carla, dani]) await post(p.page, { kind: 'need', title: 'Help paying the rent', category: 'housing', action: 'transfer' });
    await suggestionsOf(ana.page);
    await expect(suggestion(ana.page, 'CounterPower', 'solidarity').first()).toContainText('4 people needed Housing', { timeout: 60_000 });
    await expect(suggestion(ana.page, 'InventoryAgent', 'low-stock').first()).toContainText('Housing is running low: 4 needs wait and 0 offers are open');
    await expect(suggestion(ana.page, 'ConquestOfBread', 'bulk-pool').first()).toContainText('4 people need Housing');
    // Dani reads the same proposal in Spanish.
    await suggestionsOf(dani.page);
    await expect(suggestion(dani.page, 'ConquestOfBread', 'bulk-pool').first()).toContainText('4 personas necesitan', { timeout: 60_000 });
  });

  test('Scenario: a week later, waiting needs, unvouched newcomers, an ended discussion and a recurring theme are each proposed', async () => {
    // Before the week passes: Ana drafts a decision with three days of discussion.
    await ana.page.goto('/#/decisions');
    await ana.page.getByTestId('decision-title').fill('A rent fund for the street');
    await ana.page.getByTestId('decision-submit').click();
    await expect(ana.page.getByTestId('decision').filter({ hasText: 'A rent fund' })).toHaveAttribute('data-phase', 'discussion');

    await ana.page.clock.setFixedTime(Date.now() + 8 * DAY);
    // The rent comes up again the next week: four people, two weeks.
    await post(ana.page, { kind: 'need', title: 'Rent went up again', category: 'housing', action: 'transfer' });
    await suggestionsOf(ana.page);
    await expect(suggestion(ana.page, 'Conscientization', 'learning-circle').first()).toContainText('4 people have raised needs about', { timeout: 60_000 });
    await expect(suggestion(ana.page, 'GiftFlow', 'nudge').filter({ hasText: /"Help paying the rent" \(Beto\) has waited \d+ days/ })).toHaveCount(1);
    await expect(suggestion(ana.page, 'RadicalInclusion', 'reach-out-need').filter({ hasText: /Carla asked for “Help paying the rent” \d+ days ago/ })).toHaveCount(1);
    await expect(suggestion(ana.page, 'RadicalInclusion', 'welcome-newcomer').filter({ hasText: /Dani joined \d+ days ago/ })).toHaveCount(1);
    const round = suggestion(ana.page, 'GovernanceCircle', 'open-consent-round');
    await expect(round).toContainText('A rent fund for the street');
    await round.getByTestId('accept').click();
    await expect(ana.page.getByTestId('agents-notice')).toBeVisible();
  });
});
