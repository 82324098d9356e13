import { expect, test, type Page } from './fixtures.ts';
import { startRelayProcess } from '../helpers/relay-process.ts';
import { relayPerTest } from './relay-per-test.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openTouchPhone } from './phone.ts';
import { offerInstall, walkToJoin } from '../helpers/welcome-flow.ts';

// openspec/changes/first-run-safety/specs/panic/spec.md — first run, one question per screen
const relay = relayPerTest();

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

test('Scenario: first run asks one question per screen in the language chosen on the first screen; Back keeps what was typed', async ({ browser }) => {
  const ana = await openTouchPhone(browser, relay.url, 'en');
  const { page } = ana;
  const heading = page.locator('main h1');
  await expect(page.getByTestId('welcome-progress')).toHaveText('Step 1 of 4');
  await expect(page.getByTestId('name')).toHaveCount(0); // the name is not asked on the language screen
  await page.getByTestId('lang-es').check();
  await expect(heading).toHaveText('Bienvenida');
  await noSidewaysScroll(page);
  await page.getByTestId('welcome-next').click();

  await expect(heading).toHaveText('¿Cómo quieres que te llamen?');
  await expect(page.getByTestId('welcome-progress')).toHaveText('Paso 2 de 4');
  await page.getByTestId('welcome-next').click();
  await expect(page.getByTestId('welcome-error')).toHaveText('Elige un nombre.');
  await page.getByTestId('name').fill('Ana');
  await page.getByTestId('welcome-next').click();

  await expect(heading).toHaveText('¿Bloquear la app con un PIN?');
  await expect(page.getByTestId('duress-pin')).toHaveCount(0); // the duress PIN is a decision for Settings → Safety
  await expect(page.getByTestId('welcome-next')).toHaveText('Ahora no');
  await page.getByTestId('new-pin').fill('2468');
  await page.getByTestId('repeat-pin').fill('2469');
  await page.getByTestId('welcome-next').click();
  await expect(page.getByTestId('welcome-error')).toHaveText('Los dos PIN no coinciden.');
  await page.getByTestId('repeat-pin').fill('2468');

  // Back and forward: nothing typed is lost.
  await page.getByTestId('welcome-back').click();
  await expect(page.getByTestId('name')).toHaveValue('Ana');
  await page.getByTestId('welcome-back').click();
  await expect(page.getByTestId('lang-es')).toBeChecked();
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('welcome-next').click();
  await expect(page.getByTestId('new-pin')).toHaveValue('2468');
  await expect(page.getByTestId('repeat-pin')).toHaveValue('2468');
  await page.getByTestId('welcome-next').click();

  await expect(heading).toHaveText('Todo listo para unirte');
  await expect(page.getByTestId('welcome-summary')).toHaveText('Te unes como Ana.');
  await noSidewaysScroll(page);
  await page.getByTestId('join').click();
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('lock-now')).toHaveText('Bloquear'); // the PIN from the first run locks the app
  await ana.context.close();
});

test('Scenario: first run in English without a PIN joins with the invite step as before', async ({ browser }) => {
  const ben = await openTouchPhone(browser, relay.url, 'es');
  const { page } = ben;
  await expect(page.locator('main h1')).toHaveText('Bienvenida'); // the phone's language first…
  await page.getByTestId('lang-en').check(); // …switched on the first screen
  await expect(page.locator('main h1')).toHaveText('Welcome');
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('name').fill('Ben');
  await page.getByTestId('welcome-next').click();
  await expect(page.getByTestId('welcome-next')).toHaveText('Skip for now');
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('invite').fill('spm-invite:garbage');
  await page.getByTestId('join').click();
  await expect(page.getByTestId('welcome-error')).toContainText('invite code is not valid');
  await page.getByTestId('invite').fill('');
  await page.getByTestId('join').click();
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('lock-now')).toHaveCount(0);
  await ben.context.close();
});

test('Scenario: a page reloaded during first run comes back at the same question with the name and invite, never the PIN', async ({ browser }) => {
  const ana = await openTouchPhone(browser, relay.url, 'en');
  const { page } = ana;
  const heading = page.locator('main h1');
  await page.getByTestId('lang-es').check();
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('name').fill('Ana');
  // The phone roams to another access point, or a new copy of the app arrives: the page loads again.
  await page.reload();
  await expect(heading).toHaveText('¿Cómo quieres que te llamen?');
  await expect(page.getByTestId('welcome-progress')).toHaveText('Paso 2 de 4');
  await expect(page.getByTestId('name')).toHaveValue('Ana');
  await expect(page.getByTestId('name')).toBeFocused();
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('new-pin').fill('2468');
  await page.getByTestId('repeat-pin').fill('2468');
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('invite').fill('spm-invite:garbage');

  // A PIN is never written down: the person is taken back to it, with the rest still there.
  await page.reload();
  await expect(page.getByTestId('welcome-progress')).toHaveText('Paso 3 de 4');
  await expect(page.getByTestId('new-pin')).toHaveValue('');
  expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain('2468');
  await page.getByTestId('welcome-next').click(); // skips the PIN this time
  await expect(page.getByTestId('invite')).toHaveValue('spm-invite:garbage');
  await expect(page.getByTestId('welcome-summary')).toHaveText('Te unes como Ana.');
  await page.getByTestId('invite').fill('');
  await page.getByTestId('join').click();
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');

  // Once joined nothing of it is kept; a reload opens the app, not the questions.
  expect(await page.evaluate(() => sessionStorage.getItem('spm-welcome'))).toBeNull();
  await page.reload();
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await ana.context.close();
});

// openspec/specs/island-sync "A fresh hub's first member brings its operator's invite": the hub counts this
// browser as a stranger's (--first-organiser-link-only), as a phone on the island's Wi-Fi is.
test('Scenario: a phone on a fresh hub is told to ask whoever set it up for the first invite, and joins with it', async ({ browser }) => {
  const hub = await startRelayProcess({ args: ['--join-policy', 'invite', '--first-organiser-link-only'] });
  try {
    const invite = (await readFile(path.join(hub.dataDir, 'first-organiser-invite.txt'), 'utf8')).trim();
    const olga = await openTouchPhone(browser, hub.url, 'es');
    const { page } = olga;
    await walkToJoin(page, { language: 'es', name: 'Olga' });
    await page.getByTestId('join').click();
    await expect(page.getByTestId('welcome-error')).toHaveText(
      'Todavía nadie se ha unido a este centro de la comunidad. Quien lo instaló tiene la primera invitación: pídesela y pégala en el campo de invitación.',
    );
    await noSidewaysScroll(page);
    await page.getByTestId('invite').fill(invite);
    await page.getByTestId('join').click();
    await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
    await olga.context.close();
  } finally {
    await hub.cleanup();
  }
});

test('Scenario: install help offers the browser’s own install where it fires, steps for other browsers, and what HTTPS changes', async ({ browser }) => {
  const ana = await openTouchPhone(browser, relay.url, 'es');
  const { page } = ana;
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('name').fill('Ana');
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('join').click();
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await page.evaluate(() => (location.hash = '#/settings'));
  // No offer from the browser yet: the steps for other browsers are open, with the HTTPS sentence.
  await expect(page.getByTestId('install-button')).toHaveCount(0);
  await expect(page.getByTestId('install-help')).toContainText('Compartir');
  await expect(page.getByTestId('install-help')).toContainText('Firefox');
  await expect(page.getByTestId('install-https')).toContainText('HTTPS');

  // The browser offers to install (as Chromium does with beforeinstallprompt): one tap shows its dialog.
  await page.evaluate(() => {
    const e = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: async () => void ((window as unknown as { prompted: boolean }).prompted = true),
      userChoice: Promise.resolve({ outcome: 'accepted' }),
    });
    dispatchEvent(e);
  });
  await page.getByTestId('install-button').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { prompted?: boolean }).prompted)).toBe(true);
  await expect(page.getByTestId('install-state')).toHaveText('Instalada para uso sin conexión.');
  await expect(page.getByTestId('install-button')).toHaveCount(0);
  await ana.context.close();
});

/** The browser's own install offer, as Chromium fires it; `prompted` is set when the page shows its dialog. */
// openspec/changes/plain-notices — a pointer to installing on the first run's last step, not a question
test('Scenario: where the browser offers to install, the first run’s last step points to it, and Not now hides it', async ({ browser }) => {
  const ana = await openTouchPhone(browser, relay.url, 'es');
  const { page } = ana;
  await walkToJoin(page, { name: 'Ana' });
  await expect(page.locator('main h1')).toHaveText('Todo listo para unirte');
  // No offer from the browser: nothing more on the step.
  await expect(page.getByTestId('install-pointer')).toHaveCount(0);
  await offerInstall(page);
  const pointer = page.getByTestId('install-pointer');
  await expect(pointer).toContainText('Pon esta app en tu pantalla de inicio');
  await expect(pointer).toContainText('más tarde en Ajustes');
  await expect(page.getByRole('complementary', { name: /Pon esta app/ })).toBeVisible();
  await expect(page.getByTestId('welcome-progress')).toHaveText('Paso 4 de 4'); // no question was added
  await noSidewaysScroll(page);
  const box = (await page.getByTestId('install-pointer-dismiss').boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(360);
  await page.getByTestId('install-pointer-dismiss').click();
  await expect(pointer).toHaveCount(0);
  await page.getByTestId('join').click();
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await ana.context.close();
});

test('Scenario: the install pointer on the first run’s last step shows the browser’s dialog in one tap, then goes away', async ({ browser }) => {
  const ben = await openTouchPhone(browser, relay.url, 'en');
  const { page } = ben;
  await walkToJoin(page, { name: 'Ben' });
  await offerInstall(page);
  await expect(page.getByTestId('install-pointer')).toContainText('Put this app on your home screen');
  await page.getByTestId('install-pointer-install').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { prompted?: boolean }).prompted)).toBe(true);
  await expect(page.getByTestId('install-pointer')).toHaveCount(0);
  await page.getByTestId('join').click();
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await page.evaluate(() => (location.hash = '#/settings'));
  await expect(page.getByTestId('install-state')).toHaveText('Installed for offline use.');
  await ben.context.close();
});

test('Scenario: on a first visit the first question is up and answerable before the phone’s own code has arrived', async ({ browser }) => {
  // The phone client (most of the app's code) is held back until the person has answered two questions.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const asked: string[] = [];
  const { context, page } = await openTouchPhone(browser, relay.url, 'en', async (c) => {
    await c.route(/\/assets\/client-[\w-]+\.js$/, async (route) => {
      asked.push(route.request().url());
      await held;
      await route.continue();
    });
  });
  await expect(page.locator('main h1')).toHaveText('Welcome');
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('name').fill('Dora');
  await page.getByTestId('welcome-next').click();
  await expect(page.getByTestId('new-pin')).toBeVisible();
  // Its fetch began once the first question was on screen; it is still on its way.
  await expect.poll(() => asked.length).toBeGreaterThan(0);
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'welcome');
  release();
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('join').click();
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('new-pin')).toHaveCount(0);
  await context.close();
});
