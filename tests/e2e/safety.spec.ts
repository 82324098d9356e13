import { expect, test, type Page } from './fixtures.ts';
import jsQR from 'jsqr';
import { readFile } from 'node:fs/promises';
import { relayPerTest } from './relay-per-test.ts';
import { join, openSettings, openTouchPhone } from './phone.ts';

// openspec/changes/first-run-safety/specs/panic/spec.md — Settings → Safety, wrong PINs, quick exit, decoy, backup
const relay = relayPerTest();

async function unlock(page: Page, pin: string): Promise<void> {
  await page.getByTestId('pin').fill(pin);
  await page.getByTestId('unlock').click();
}

async function myTier(page: Page): Promise<string | null> {
  await page.evaluate(() => (location.hash = '#/people'));
  return page.getByTestId('my-tier').getAttribute('data-tier');
}

/** What a person sees of Settings: its section headings, in order. */
async function settingsHeadings(page: Page): Promise<string[]> {
  await openSettings(page);
  return page.locator('main h2, main h3').allTextContents();
}

test('Scenario: after 3 wrong PINs the 4th try is refused with a visible wait, and a reload does not reset it', async ({ browser }) => {
  const ana = await openTouchPhone(browser, relay.url);
  await join(ana.page, 'Ana', '', { pin: '2468' });
  await ana.page.getByTestId('lock-now').click();
  await unlock(ana.page, '0000');
  await expect(ana.page.getByTestId('lock-error')).toHaveText('That PIN is not right.');
  await unlock(ana.page, '1111');
  await expect(ana.page.getByTestId('lock-error')).toHaveText('That PIN is not right.');
  await unlock(ana.page, '2222');
  await expect(ana.page.getByTestId('lock-error')).toHaveText('That PIN is not right. Try again in 30 seconds.');
  // Even the right PIN waits: the wait is for every try.
  await unlock(ana.page, '2468');
  await expect(ana.page.getByTestId('lock-error')).toHaveText(/^Too many wrong PINs\. Try again in \d+ seconds?\.$/);
  await expect(ana.page.locator('main')).toHaveAttribute('data-phase', 'locked');

  await ana.page.reload();
  await expect(ana.page.getByTestId('lock-error')).toHaveText(/^Too many wrong PINs\. Try again in \d+ seconds?\.$/);
  await unlock(ana.page, '2468');
  await expect(ana.page.getByTestId('lock-error')).toHaveText(/^Too many wrong PINs/);
  await expect(ana.page.locator('main')).toHaveAttribute('data-phase', 'locked');
  await ana.context.close();
});

test('Scenario: after a quick exit neither Back nor Forward returns into the app', async ({ browser }) => {
  const ana = await openTouchPhone(browser, relay.url);
  await join(ana.page, 'Ana');
  await ana.context.close();
  // A fresh visit that came from somewhere else, then moved through a few screens of the app.
  const phone = await openTouchPhone(browser, relay.url);
  const { page } = phone;
  await page.goto('data:text/html,<title>Elsewhere</title>');
  await page.goto('/');
  await join(page, 'Bea');
  for (const screen of ['people', 'sanctuary', 'alerts', 'settings']) {
    await page.evaluate((h) => (location.hash = `#/${h}`), screen);
    await expect(page.locator('main h1')).toBeVisible();
  }
  await page.getByTestId('quick-exit').click();
  await expect(page).toHaveTitle('Unit converter');
  await expect(page.locator('output')).toHaveText('2.205'); // the converter works: not an empty shell
  for (let i = 0; i < 3 && !page.url().startsWith('data:'); i++) {
    await page.goBack();
    await expect(page.locator('main[data-phase]')).toHaveCount(0);
  }
  await expect(page).toHaveTitle('Elsewhere');
  for (let i = 0; i < 3; i++) {
    await page.goForward();
    await expect(page.locator('main[data-phase]')).toHaveCount(0);
  }
  await phone.context.close();
});

test('Scenario: the panic gesture is opt-in, taps on the logo never wipe, a long press counts down with Stop, then wipes', async ({ browser }) => {
  const ana = await openTouchPhone(browser, relay.url, 'es');
  await join(ana.page, 'Ana');
  for (let i = 0; i < 5; i++) await ana.page.getByTestId('brand').click();
  await expect(ana.page.locator('main')).toHaveAttribute('data-phase', 'ready');

  await openSettings(ana.page);
  await expect(ana.page.getByTestId('quick-exit-help')).toContainText('el botón Atrás no vuelve');
  // Carrying for other communities: on by default, in plain Spanish.
  await expect(ana.page.getByTestId('carry-enabled')).toBeChecked();
  await expect(ana.page.getByTestId('carry-status')).toHaveText('Ahora no llevas nada para otras comunidades.');
  await expect(ana.page.getByTestId('carry-delivered')).toHaveText('Todavía no has entregado nada.');
  await ana.page.getByTestId('panic-gesture').check();
  const hold = async () => {
    await ana.page.getByTestId('pending').scrollIntoViewIfNeeded();
    const box = (await ana.page.getByTestId('pending').boundingBox())!;
    await ana.page.mouse.move(box.x + 5, box.y + box.height / 2);
    await ana.page.mouse.down();
    await expect(ana.page.getByTestId('panic-countdown')).toBeVisible();
    await ana.page.mouse.up();
  };
  await hold();
  await expect(ana.page.getByTestId('panic-countdown')).toContainText('Borrando este teléfono en');
  await ana.page.getByTestId('panic-undo').click();
  await expect(ana.page.getByTestId('panic-countdown')).toHaveCount(0);
  await expect(ana.page.locator('main')).toHaveAttribute('data-phase', 'ready');

  await hold();
  await expect(ana.page).toHaveTitle('Conversor de unidades'); // a Spanish phone's harmless page is in Spanish too
  expect(await ana.page.evaluate(async () => (await indexedDB.databases()).length)).toBe(0);
  await ana.context.close();
});

test('Scenario: the decoy beside the real app shows the same header, status line and Settings sections', async ({ browser }) => {
  const beto = await openTouchPhone(browser, relay.url);
  await join(beto.page, 'Beto');
  const ana = await openTouchPhone(browser, relay.url);
  await join(ana.page, 'Ana', '', { pin: '2468', duress: '1357' });
  const real = {
    brand: await ana.page.getByTestId('brand').textContent(),
    status: await ana.page.getByTestId('pending').textContent(),
    headings: await settingsHeadings(ana.page),
  };
  expect(real.headings).toEqual(expect.arrayContaining(['Your identity', 'Safety', 'App lock', 'Backup of your identity']));
  await expect(ana.page.getByTestId('settings-duress')).toBeVisible();

  await ana.page.getByTestId('lock-now').click();
  await unlock(ana.page, '1357');
  await expect(ana.page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await expect(ana.page.getByTestId('brand')).toHaveText(real.brand!);
  await expect(ana.page.getByTestId('pending')).toHaveText(real.status!);
  expect(await settingsHeadings(ana.page)).toEqual(real.headings);
  await expect(ana.page.getByTestId('invite-code')).toHaveValue(/^spm-invite:/);
  await expect(ana.page.locator('main')).toContainText('Ana'); // the person's own name, over keys that are not theirs
  await ana.context.close();
  await beto.context.close();
});

test('Scenario: a backup file and a scan of its QR code each bring the founder back with their standing', async ({ browser }) => {
  const ana = await openTouchPhone(browser, relay.url);
  await join(ana.page, 'Ana');
  const beto = await openTouchPhone(browser, relay.url);
  await join(beto.page, 'Beto');
  const tier = await myTier(ana.page);
  expect(tier).not.toBe('unknown');

  await openSettings(ana.page);
  await ana.page.getByTestId('backup-passphrase').fill('correct horse battery');
  await ana.page.getByTestId('make-backup').click();
  const text = await ana.page.getByTestId('backup-text').inputValue();
  const [download] = await Promise.all([ana.page.waitForEvent('download'), ana.page.getByTestId('backup-download').click()]);
  const file = await readFile((await download.path())!, 'utf8');
  expect(file.trim()).toBe(text);

  // The QR code as drawn on screen, decoded here with jsQR.
  const png = await ana.page.getByTestId('backup-qr').screenshot();
  const pixels = await ana.page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = Object.assign(document.createElement('canvas'), { width: img.width, height: img.height });
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return { w: img.width, h: img.height, data: Array.from(ctx.getImageData(0, 0, img.width, img.height).data) };
  }, png.toString('base64'));
  expect(jsQR(Uint8ClampedArray.from(pixels.data), pixels.w, pixels.h)?.data).toBe(text);

  const restore = async (how: 'file' | 'qr') => {
    const phone = await openTouchPhone(browser, relay.url);
    await phone.page.getByTestId('welcome-restore').click();
    if (how === 'file') await phone.page.getByTestId('restore-file').setInputFiles({ name: 'solarpunk-backup.txt', mimeType: 'text/plain', buffer: Buffer.from(file) });
    else await phone.page.getByTestId('restore-qr').setInputFiles({ name: 'qr.png', mimeType: 'image/png', buffer: png });
    await expect(phone.page.getByTestId('restore-text')).toHaveValue(text);
    await phone.page.getByTestId('restore-passphrase').fill('correct horse battery');
    await phone.page.getByTestId('welcome-next').click();
    await phone.page.getByTestId('welcome-next').click(); // no PIN
    await phone.page.getByTestId('join').click();
    await expect(phone.page.locator('main')).toHaveAttribute('data-phase', 'ready');
    await expect.poll(() => myTier(phone.page)).toBe(tier);
    await phone.context.close();
  };
  await restore('file');
  await restore('qr');
  await ana.context.close();
  await beto.context.close();
});
