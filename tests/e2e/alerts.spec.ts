import { expect, test, type Page } from './fixtures.ts';
import { relayPerTest } from './relay-per-test.ts';
import { join, openPhone, openTouchPhone, tapNav } from './phone.ts';
import { notificationsShown, recordNotifications } from './notifications.ts';
import { vouchFor } from './vouching.ts';

// openspec/specs/rapid-response/spec.md — Alert screens (PWA)
const relay = relayPerTest();

/**
 * Opens the raise form when it is closed. The alerts screen's code loads on first visit and the form starts
 * open only when the board is empty, so wait for the screen before reading whether the form is open (reading
 * it earlier and tapping the toggle would close a form that had just opened).
 */
async function openRaiseForm(page: Page): Promise<void> {
  const toggle = page.getByTestId('alert-raise-toggle');
  await expect(toggle).toBeVisible();
  const open = await toggle.evaluate((summary) => (summary.parentElement as HTMLDetailsElement).open);
  if (!open) await toggle.click();
  await expect(page.getByTestId('alert-kind')).toBeVisible();
}

// openspec/changes/plain-notices — the button that asks for notifications says why, beside it
test('Scenario: the "Notify me on this phone" button says in one sentence what notifications are for and that nothing leaves the phone', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  // The browser has not asked yet (headless Chromium may answer for the person): its question is played here.
  await ana.context.addInitScript(() => {
    let permission: NotificationPermission = 'default';
    Object.defineProperty(Notification, 'permission', { configurable: true, get: () => permission });
    Notification.requestPermission = async () => (permission = 'granted');
  });
  await ana.page.reload();
  await join(ana.page, 'Ana'); // founder: sees alerts
  await tapNav(ana.page, 'alerts');
  const why = ana.page.getByTestId('alert-notify-why');
  await expect(why).toHaveText('You will get a notice of new alerts, messages and answers to your posts while you use other apps. Only this phone shows it: nothing is sent anywhere.');
  await expect(ana.page.getByRole('button', { name: 'Notify me on this phone' })).toHaveAccessibleDescription(/new alerts, messages and answers/);
  await ana.page.getByTestId('alert-notify').click();
  await expect(ana.page.getByText('Notifications are on for new alerts, messages and answers to your posts.')).toBeVisible();
  await expect(why).toHaveCount(0);
  await ana.context.close();
});

test('Scenario: an alert raised on one phone appears on another as a banner; responders answer, the raiser sees who is coming, and resolving clears it', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  const beto = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana'); // founder: steward
  await join(beto.page, 'Beto');

  // Before anyone vouches for him, Beto may neither see nor raise alerts.
  await tapNav(beto.page, 'alerts');
  await expect(beto.page.getByTestId('alerts-gate')).toBeVisible();
  await expect(beto.page.getByTestId('alert-form')).toHaveCount(0);

  await vouchFor(ana.page, beto.page, 'Beto');
  await vouchFor(beto.page, ana.page, 'Ana'); // Beto's first vouch: he sees the community through Ana

  // Beto allowed notifications; the test records what his phone shows, through the service worker's
  // registration (as Android Chrome needs) or, with no service worker, a subclass of the real Notification.
  await recordNotifications(beto);

  const text = 'Police at the north market, stay away';
  await tapNav(ana.page, 'alerts');
  await ana.page.getByTestId('alert-kind').selectOption('raid');
  await ana.page.getByTestId('alert-urgency').selectOption('critical');
  await ana.page.getByTestId('alert-area').fill('North market');
  await ana.page.getByTestId('alert-text').fill(text);
  await ana.page.getByTestId('alert-send').click();
  await expect(ana.page.getByTestId('alert').filter({ hasText: text })).toHaveAttribute('data-urgency', 'critical');
  await expect(ana.page.getByTestId('alert-awaiting')).toBeVisible();
  await expect(ana.page.getByTestId('notice')).toHaveText('Alert sent.'); // said once the relay holds it
  await expect(ana.page.getByTestId('alert-outbox')).toHaveCount(0);

  // Beto's phone shows it on whatever screen he is on.
  await beto.page.getByTestId('nav-people').click();
  await expect(beto.page.getByTestId('alert-banner')).toContainText(text, { timeout: 20_000 });
  await expect(beto.page.getByTestId('alert-banner')).toHaveAttribute('data-urgency', 'critical');
  await expect.poll(() => notificationsShown(beto.page)).toEqual([{ title: 'Critical · Raid · North market', body: text }]);
  await beto.page.getByTestId('alert-banner').click();
  const seen = beto.page.getByTestId('alert').filter({ hasText: text });
  await seen.getByTestId('alert-confirm').click();
  await seen.getByTestId('alert-on-my-way').click();
  await expect(beto.page.getByTestId('notice')).toHaveText('Sent.'); // said once the relay holds his answer

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

  // A second critical alert within 10 minutes would be ignored by every reader: the form says so.
  await openRaiseForm(ana.page);
  await ana.page.getByTestId('alert-urgency').selectOption('critical');
  await ana.page.getByTestId('alert-text').fill('Another fire');
  await ana.page.getByTestId('alert-send').click();
  await expect(ana.page.getByTestId('alert-error')).toContainText('too many alerts');
  await expect(ana.page.getByTestId('alert').filter({ hasText: 'Another fire' })).toHaveCount(0);

  await ana.context.close();
  await beto.context.close();
});

// openspec/changes/alert-sent-means-sent — "sent" only once a relay holds it
test('Scenario: an alert raised with no hub in reach is said to be kept on the phone, the status line counts it, and it goes out when the hub is back (es)', async ({ browser }) => {
  const ana = await openTouchPhone(browser, relay.url, 'es');
  await join(ana.page, 'Ana'); // founder: may raise alerts
  await tapNav(ana.page, 'alerts');
  await expect(ana.page.getByTestId('pending')).toHaveText('Todo enviado');

  await ana.context.setOffline(true);
  await ana.page.getByTestId('alert-text').fill('Corte de agua en la calle 5');
  await ana.page.getByTestId('alert-send').tap();
  await expect(ana.page.getByTestId('notice')).toHaveText('Alerta guardada en este teléfono. Sale en cuanto el teléfono llegue al centro de la comunidad.');
  await expect(ana.page.getByTestId('alert-outbox')).toBeVisible();
  await expect(ana.page.getByTestId('pending')).toHaveText('1 cambio en espera: saldrá cuando vuelva el centro de la comunidad');
  await expect(ana.page.getByTestId('alert').filter({ hasText: 'Corte de agua' })).toBeVisible(); // on her own board already

  await ana.context.setOffline(false);
  await expect(ana.page.getByTestId('alert-outbox')).toHaveCount(0, { timeout: 20_000 });
  await expect(ana.page.getByTestId('pending')).toHaveText('Todo enviado');
  await ana.context.close();
});

test('Scenario: a steward retracts an alert; an unconfirmed critical alert becomes watch after 5 minutes; alerts disappear when they expire', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  // Beto's phone runs on a clock the test can move forward (the relay keeps real time).
  const context = await browser.newContext({ baseURL: relay.url, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.clock.install();
  await page.goto('/');
  const carla = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana'); // founder: steward
  await join(page, 'Beto');
  await join(carla.page, 'Carla');
  // A retraction counts where its author is a steward in the reader's own view: Beto reaches Ana through
  // two chains (his anchor, and Carla who vouched for her), which makes her a steward for him (0.93).
  await vouchFor(ana.page, page, 'Beto');
  await vouchFor(page, ana.page, 'Ana');
  await vouchFor(carla.page, ana.page, 'Ana');
  await vouchFor(page, carla.page, 'Carla');

  async function raise(p: typeof page, kind: string, urgency: string, text: string): Promise<void> {
    await tapNav(p, 'alerts');
    await openRaiseForm(p);
    await p.getByTestId('alert-kind').selectOption(kind);
    await p.getByTestId('alert-urgency').selectOption(urgency);
    await p.getByTestId('alert-area').fill('Riverside');
    await p.getByTestId('alert-text').fill(text);
    await p.getByTestId('alert-send').click();
    await expect(p.getByTestId('alert').filter({ hasText: text })).toBeVisible();
  }

  // Beto raises one; Ana, a steward, retracts it: it disappears on both phones.
  await raise(page, 'other', 'watch', 'Strange van parked by the school');
  await tapNav(ana.page, 'alerts');
  const theirs = ana.page.getByTestId('alert').filter({ hasText: 'Strange van' });
  await theirs.getByTestId('alert-retract').click();
  await expect(theirs).toHaveCount(0);
  await expect(page.getByTestId('alert').filter({ hasText: 'Strange van' })).toHaveCount(0, { timeout: 20_000 });

  // Ana raises an urgent and a critical alert; nobody confirms the critical one.
  await raise(ana.page, 'eviction', 'urgent', 'Eviction at number 9 tomorrow morning');
  await raise(ana.page, 'fire', 'critical', 'Fire in the old warehouse');
  await tapNav(page, 'alerts');
  const fire = page.getByTestId('alert').filter({ hasText: 'old warehouse' });
  const eviction = page.getByTestId('alert').filter({ hasText: 'number 9' });
  await expect(fire).toHaveAttribute('data-urgency', 'critical');
  await expect(fire.getByTestId('alert-awaiting')).toBeVisible();
  await expect(page.getByTestId('alert-banner')).toContainText('old warehouse');

  await page.clock.fastForward('06:00'); // six minutes
  await expect(fire).toHaveAttribute('data-urgency', 'watch');
  await expect(fire.getByTestId('alert-awaiting')).toHaveCount(0);
  await expect(page.getByTestId('alert-banner')).toContainText('number 9'); // urgent now comes first

  await page.clock.fastForward('07:00:00'); // past the critical alert's 6 hours
  await expect(fire).toHaveCount(0);
  await expect(eviction).toBeVisible();
  await page.clock.fastForward('18:00:00'); // past the urgent alert's 24 hours
  await expect(eviction).toHaveCount(0);
  await expect(page.getByTestId('alerts-none')).toBeVisible();
  await expect(page.getByTestId('alert-banner')).toHaveCount(0);

  await ana.context.close();
  await carla.context.close();
  await context.close();
});
