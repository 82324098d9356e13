import type { BrowserContext } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { relayPerTest } from './relay-per-test.ts';
import { join, openTouchPhone, tapNav, waitForServiceWorker } from './phone.ts';
import { notificationsShown, recordNotifications } from './notifications.ts';
import { vouchFor } from './vouching.ts';
import { messagePerson, switchAway } from './journey-steps.ts';

// openspec/changes/notification-opens-the-app — a tap on a notification opens the app where it is about
const relay = relayPerTest();

/** The service worker's global scope, as far as these steps use it (the DOM typings have no worker scope). */
interface InWorker {
  registration: ServiceWorkerRegistration;
  dispatchEvent(event: Event): boolean;
  NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
}

/**
 * Taps the newest notification the phone shows, as the system would: the service worker gets a
 * `notificationclick` for it. Headless Chromium draws no notification to tap, so the event is dispatched
 * inside the real service worker, on the real notification it holds.
 */
async function tapNotification(context: BrowserContext, title: string): Promise<void> {
  const [worker] = context.serviceWorkers();
  expect(worker, 'the app’s service worker runs').toBeTruthy();
  await expect
    .poll(() => worker.evaluate(async (t) => (await (self as unknown as InWorker).registration.getNotifications()).some((n) => n.title === t), title))
    .toBe(true);
  await worker.evaluate(async (t) => {
    const sw = self as unknown as InWorker;
    const notification = (await sw.registration.getNotifications()).find((n) => n.title === t)!;
    sw.dispatchEvent(new sw.NotificationEvent('notificationclick', { notification }));
  }, title);
}

test('Scenario: a tap on an alert’s notification opens the alerts screen, and on a message’s the conversation; a notification carries no more than where to go (es)', async ({ browser }) => {
  const ana = await openTouchPhone(browser, relay.url);
  const beto = await openTouchPhone(browser, relay.url, 'es');
  await join(ana.page, 'Ana'); // founder: may raise alerts
  await join(beto.page, 'Beto');
  await vouchFor(ana.page, beto.page, 'Beto');
  await vouchFor(beto.page, ana.page, 'Ana');
  await waitForServiceWorker(beto.page);
  await recordNotifications(beto);
  await tapNav(beto.page, 'people');

  const text = 'Police at the north market, stay away';
  await tapNav(ana.page, 'alerts');
  await ana.page.getByTestId('alert-urgency').selectOption('critical');
  await ana.page.getByTestId('alert-area').fill('North market');
  await ana.page.getByTestId('alert-text').fill(text);
  await ana.page.getByTestId('alert-send').tap();
  await expect(ana.page.getByTestId('notice')).toHaveText('Alert sent.');

  const title = 'Crítica · Redada · North market';
  await expect.poll(() => notificationsShown(beto.page), { timeout: 20_000 }).toEqual([{ title, body: text }]);
  const [worker] = beto.context.serviceWorkers();
  const data = await worker.evaluate(async (t) => (await (self as unknown as InWorker).registration.getNotifications()).find((n) => n.title === t)?.data as unknown, title);
  expect(data).toEqual({ hash: '#/alerts' });

  await tapNotification(beto.context, title);
  await expect(beto.page).toHaveURL(/#\/alerts$/);
  await expect(beto.page.getByTestId('alert').filter({ hasText: text })).toBeVisible();
  expect(await worker.evaluate(async () => (await (self as unknown as InWorker).registration.getNotifications()).length)).toBe(0); // the tapped one is gone

  // Beto switches to another app (the test cannot press Home); Ana writes to him.
  await tapNav(beto.page, 'people');
  await switchAway(beto);
  await messagePerson(ana, 'Beto', 'Meet at the school gate');
  await expect.poll(() => notificationsShown(beto.page), { timeout: 30_000 }).toContainEqual({ title: 'Nuevo mensaje de Ana', body: expect.any(String) });
  await tapNotification(beto.context, 'Nuevo mensaje de Ana');
  await expect(beto.page).toHaveURL(/#\/messages\/[\w-]+$/);
  await expect(beto.page.getByTestId('message').filter({ hasText: 'school gate' })).toBeVisible();
  await ana.context.close();
  await beto.context.close();
});
