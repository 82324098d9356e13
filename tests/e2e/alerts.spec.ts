import { expect, test } from '@playwright/test';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { join, openPhone } from './phone.ts';
import { vouchFor } from './vouching.ts';

// openspec/specs/rapid-response/spec.md — Alert screens (PWA)
let relay: RelayProcess;
test.beforeEach(async () => {
  relay = await startRelayProcess();
});
test.afterEach(async () => {
  await relay.cleanup();
});

test('Scenario: an alert raised on one phone appears on another as a banner; responders answer, the raiser sees who is coming, and resolving clears it', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  const beto = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana'); // founder: steward
  await join(beto.page, 'Beto');

  // Before anyone vouches for him, Beto may neither see nor raise alerts.
  await beto.page.getByTestId('nav-alerts').click();
  await expect(beto.page.getByTestId('alerts-gate')).toBeVisible();
  await expect(beto.page.getByTestId('alert-form')).toHaveCount(0);

  await vouchFor(ana.page, beto.page, 'Beto');
  await vouchFor(beto.page, ana.page, 'Ana'); // Beto's first vouch: he sees the community through Ana

  const text = 'Police at the north market, stay away';
  await ana.page.getByTestId('nav-alerts').click();
  await ana.page.getByTestId('alert-kind').selectOption('raid');
  await ana.page.getByTestId('alert-urgency').selectOption('critical');
  await ana.page.getByTestId('alert-area').fill('North market');
  await ana.page.getByTestId('alert-text').fill(text);
  await ana.page.getByTestId('alert-send').click();
  await expect(ana.page.getByTestId('alert').filter({ hasText: text })).toHaveAttribute('data-urgency', 'critical');
  await expect(ana.page.getByTestId('alert-awaiting')).toBeVisible();
  await expect(ana.page.getByTestId('alert-outbox')).toHaveCount(0, { timeout: 10_000 }); // the relay took it

  // Beto's phone shows it on whatever screen he is on.
  await beto.page.getByTestId('nav-people').click();
  await expect(beto.page.getByTestId('alert-banner')).toContainText(text, { timeout: 20_000 });
  await expect(beto.page.getByTestId('alert-banner')).toHaveAttribute('data-urgency', 'critical');
  await beto.page.getByTestId('alert-banner').click();
  const seen = beto.page.getByTestId('alert').filter({ hasText: text });
  await seen.getByTestId('alert-confirm').click();
  await seen.getByTestId('alert-on-my-way').click();

  // Ana sees the confirmation and who is coming.
  const mine = ana.page.getByTestId('alert').filter({ hasText: text });
  await expect(mine.getByTestId('alert-coming')).toContainText('Beto', { timeout: 20_000 });
  await expect(ana.page.getByTestId('alert-awaiting')).toHaveCount(0);
  await expect(mine.getByTestId('alert-resolve')).toBeVisible();
  await expect(mine.getByTestId('alert-on-my-way')).toHaveCount(0); // the raiser does not answer her own alert

  await mine.getByTestId('alert-resolve').click();
  await expect(mine).toHaveAttribute('data-status', 'resolved');
  await expect(beto.page.getByTestId('alert').filter({ hasText: text })).toHaveAttribute('data-status', 'resolved', { timeout: 20_000 });
  await expect(beto.page.getByTestId('alert-banner')).toHaveCount(0);

  await ana.context.close();
  await beto.context.close();
});
