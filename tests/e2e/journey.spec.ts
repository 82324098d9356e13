import { expect, test } from './fixtures.ts';
import { relayPerTest } from './relay-per-test.ts';
import { tapNav } from './phone.ts';
import { findAndOpen, markGiven, messageFromPost, messagePerson, notificationsShown, openWaitingRequest, postOfferWithPhoto, recordNotifications, switchAway, twoNeighbours } from './journey-steps.ts';

// openspec/changes/core-loop/specs/offers-needs/spec.md — the core loop on two phones (issue #18)
const relay = relayPerTest();

test('Scenario: two neighbours go from a posted offer with a photo to a hand-over: ask, notified owner confirms, message, mark given', async ({ browser }) => {
  const { ana, beto } = await twoNeighbours(browser, relay.url);
  await recordNotifications(ana);

  // Ana posts from Home in at most 4 taps (typing the title aside).
  const taps = await postOfferWithPhoto(ana, 'Winter coat, size M');
  expect(taps).toBeLessThanOrEqual(4);
  await expect(ana.page.getByTestId('category')).toHaveCount(0);

  // Beto finds it, sees the photo is attached, and asks for it with a note.
  await findAndOpen(beto, 'coat', 'Winter coat, size M');
  await expect(beto.page.getByTestId('attachments')).toContainText('coat.png');
  await beto.page.getByTestId('request-note').fill('My son needs one for school');
  await beto.page.getByTestId('ask').tap();
  await expect(beto.page.getByTestId('agreement-status')).toContainText('waiting for them to confirm');
  await expect(beto.page.getByTestId('ask')).toHaveCount(0);

  // Ana's phone counts it in the nav and shows one notification.
  await expect(ana.page.getByTestId('nav-more-count')).toHaveText('1', { timeout: 30_000 });
  await expect.poll(() => notificationsShown(ana.page), { timeout: 20_000 }).toEqual([{ title: 'Beto answered your post', body: 'Winter coat, size M — My son needs one for school' }]);
  await openWaitingRequest(ana, 'Winter coat, size M');
  await expect(ana.page.getByTestId('request')).toContainText('My son needs one for school');
  await ana.page.getByTestId('confirm').tap();
  await expect(ana.page.getByTestId('commitment')).toContainText('Agreed: Ana gives to Beto');
  await expect(ana.page.getByTestId('nav-more-count')).toHaveCount(0);

  // Beto sees the promise and writes to Ana from the post.
  await expect(beto.page.getByTestId('commitment')).toContainText('Agreed: Ana gives to Beto', { timeout: 30_000 });
  await messageFromPost(beto, 'Thank you! Can I come at 6?');
  await expect(ana.page.getByTestId('nav-unread')).toBeVisible({ timeout: 30_000 });

  // Ana marks it given; Beto's phone shows the hand-over. It cannot be marked twice.
  await markGiven(ana);
  await expect(ana.page.getByTestId('hand-over')).toHaveCount(0);
  await expect(ana.page.getByTestId('mark-done')).toHaveCount(0);
  await beto.page.goBack(); // from the conversation back to the post
  await expect(beto.page.getByTestId('handed-over')).toBeVisible({ timeout: 30_000 });
  expect(await notificationsShown(ana.page)).toHaveLength(1);
  await ana.context.close();
  await beto.context.close();
});

// openspec/changes/plain-notices — a message notification says who wrote, never what
test('Scenario: a message arriving while the app is in the background notifies "New message from Beto", never its text', async ({ browser }) => {
  const { ana, beto } = await twoNeighbours(browser, relay.url);
  await recordNotifications(ana);
  await switchAway(ana);
  await messagePerson(beto, 'Ana', 'The key is under the blue pot');
  await expect.poll(() => notificationsShown(ana.page), { timeout: 30_000 }).toEqual([{ title: 'New message from Beto', body: 'Open the app to read it.' }]);
  await expect(ana.page.getByTestId('nav-unread')).toBeVisible();
  await ana.context.close();
  await beto.context.close();
});

test('Scenario: "I can help" on a need: the owner sees the badge and confirms; My posts shows it promised, then done, and undo opens it again', async ({ browser }) => {
  const { ana, beto } = await twoNeighbours(browser, relay.url);
  await tapNav(ana.page, 'need');
  await ana.page.getByTestId('title').fill('Ladder to fix the roof');
  await ana.page.getByTestId('category').selectOption({ index: 1 });
  await ana.page.getByTestId('submit').tap();
  await expect(ana.page.getByTestId('intent-detail')).toContainText('Ladder to fix the roof');

  await findAndOpen(beto, 'ladder', 'Ladder to fix the roof');
  await beto.page.getByTestId('request-note').fill('I have a 3 m one');
  await beto.page.getByTestId('help').tap();
  await expect(beto.page.getByTestId('agreement-status')).toContainText('You offered to help Ana');

  await expect(ana.page.getByTestId('nav-more-count')).toHaveText('1', { timeout: 30_000 });
  await openWaitingRequest(ana, 'Ladder to fix the roof');
  await expect(ana.page.getByTestId('request')).toContainText('Beto can help');
  await ana.page.getByTestId('confirm').tap();
  await expect(ana.page.getByTestId('commitment')).toContainText('Agreed: Beto helps Ana');

  await tapNav(ana.page, 'mine');
  await expect(ana.page.getByTestId('mine-promised')).toContainText('Ladder to fix the roof');
  await ana.page.getByTestId('mine-promised').getByTestId('my-post').locator('a').tap();
  ana.page.once('dialog', (d) => void d.accept());
  await ana.page.getByTestId('hand-over').tap(); // "Mark as received from Beto"
  await expect(ana.page.getByTestId('notice')).toContainText('You can undo it');
  await expect(beto.page.getByTestId('handed-over')).toBeVisible({ timeout: 30_000 });

  // A mistake: undo from My posts; the need is open again and the hand-over no longer shows.
  await tapNav(ana.page, 'mine');
  await ana.page.getByTestId('mine-done').getByTestId('undo').tap();
  await expect(ana.page.getByTestId('mine-promised')).toContainText('Ladder to fix the roof');
  await expect(beto.page.getByTestId('handed-over')).toHaveCount(0, { timeout: 30_000 });
  await ana.context.close();
  await beto.context.close();
});

test('Scenario: Spanish, 360 px and touch: the post form names the field in error and the person page has a Message button', async ({ browser }) => {
  const { ana, beto } = await twoNeighbours(browser, relay.url);
  await tapNav(ana.page, 'settings');
  await ana.page.getByTestId('language').selectOption('es');
  await tapNav(ana.page, 'offer');
  await ana.page.getByTestId('title').fill('Sopa');
  await ana.page.getByTestId('submit').tap();
  await expect(ana.page.getByTestId('form-errors')).toContainText('Categoría: Elige una categoría.');
  await expect(ana.page.getByTestId('category')).toBeFocused();
  await expect(ana.page.getByTestId('category')).toHaveAttribute('aria-describedby', 'error-category');
  const box = await ana.page.getByTestId('error-category').boundingBox();
  expect(box && box.x + box.width).toBeLessThanOrEqual(360);

  await tapNav(beto.page, 'people');
  await beto.page.getByRole('link', { name: 'Ana' }).first().tap();
  await beto.page.getByTestId('message-person').tap();
  await expect(beto.page.getByTestId('compose')).toBeVisible();
  await ana.context.close();
  await beto.context.close();
});

// openspec/specs/private-messaging/spec.md — A message is called sent only once a hub holds it
test('Scenario: a message written with no hub in reach says it is still on the phone, and sent once the hub has it (es)', async ({ browser }) => {
  const { ana, beto } = await twoNeighbours(browser, relay.url);
  await tapNav(ana.page, 'settings');
  await ana.page.getByTestId('language').selectOption('es');
  await ana.context.setOffline(true);
  await messagePerson(ana, 'Beto', '¿Sopa a las seis?');
  const status = ana.page.getByTestId('message').filter({ hasText: '¿Sopa a las seis?' }).getByTestId('message-status');
  await expect(status).toHaveText('en este teléfono, esperando al centro de la comunidad');
  await ana.context.setOffline(false);
  await expect(status).toHaveText(/^(enviado|entregado)$/, { timeout: 30_000 });
  await ana.context.close();
  await beto.context.close();
});
