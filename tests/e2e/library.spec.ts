import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from './fixtures.ts';
import { relayPerTest } from './relay-per-test.ts';
import { browse, card, join, openForm, openPhone, openTouchPhone, tapNav } from './phone.ts';

// openspec/specs/library/spec.md — the library on phones
const relay = relayPerTest();

/** A large photo (noise, so it does not compress away) made in the page's own canvas. */
async function photo(page: Page, w: number, h: number): Promise<Buffer> {
  // Base64 out of the page, not an array of numbers: megabytes as a JSON array of numbers cost the
  // browser and the test runner tens of seconds of CPU.
  const base64 = await page.evaluate(async ([w, h]) => {
    const c = new OffscreenCanvas(w, h);
    const ctx = c.getContext('2d')!;
    const img = ctx.createImageData(w, h);
    let x = 12345;
    for (let i = 0; i < img.data.length; i++) img.data[i] = (x = (x * 1103515245 + 12345) & 0x7fffffff) & 255;
    ctx.putImageData(img, 0, 0);
    const blob = await c.convertToBlob({ type: 'image/png' });
    const url = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.readAsDataURL(blob);
    });
    return url.slice(url.indexOf(',') + 1);
  }, [w, h]);
  return Buffer.from(base64, 'base64');
}

test('Scenario: a photo is shrunk and shared, another phone fetches it with progress, opens it, and drops it; a post can carry it', async ({ browser }) => {
  // A limit on hangs: a 1800 px photo made, shrunk and moved twice, then a members-only photo sealed and
  // refused to a non-member. It took 2.5 and 3.0 minutes with one core kept busy and three browsers at once.
  test.setTimeout(300_000);
  const ana = await openPhone(browser, relay.url);
  const beto = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana');
  await join(beto.page, 'Beto');

  // Wider than the 1,600 px the phone shrinks photos to, and no larger: the bytes cross the test's pipes.
  const original = await photo(ana.page, 1800, 1200);
  await tapNav(ana.page, 'library');
  await ana.page.getByTestId('share-file').setInputFiles({ name: 'seed-map.png', mimeType: 'image/png', buffer: original });
  await ana.page.getByTestId('share-submit').click();
  await expect(ana.page.getByTestId('upload-progress')).toContainText('Shared');
  const mine = ana.page.getByTestId('library-file').filter({ hasText: 'seed-map.png' });
  await expect(mine).toContainText('image/jpeg'); // shrunk to 1600 px and re-encoded on the phone
  const held = (await mine.getByTestId('file-here').textContent())!;
  const [, pieces] = /of (\d+) pieces/.exec(held)!;
  expect(Number(pieces) * 256 * 1024).toBeLessThan(original.length);

  // The offer form lists files in the library that are fully on this phone; attach the map and post.
  await tapNav(ana.page, 'offer');
  await ana.page.getByTestId('title').fill('Seed map to copy');
  await ana.page.getByTestId('category').selectOption({ index: 1 });
  await ana.page.getByTestId('attach').check();
  await ana.page.getByTestId('submit').click();
  await expect(ana.page.getByTestId('attachments')).toContainText('seed-map.png');
  // Its card on Browse shows the picture, whole on Ana's phone, as a thumbnail.
  await browse(ana.page);
  const thumb = card(ana.page, 'Seed map to copy').getByTestId('card-photo');
  await expect(thumb).toBeVisible();
  expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1600);

  await tapNav(beto.page, 'library');
  const theirs = beto.page.getByTestId('library-file').filter({ hasText: 'seed-map.png' });
  await expect(theirs.getByTestId('file-here')).toContainText(`0 of ${pieces} pieces`);
  await theirs.getByTestId('fetch-file').click();
  await expect(theirs.getByTestId('file-here')).toContainText(`${pieces} of ${pieces} pieces`);
  await theirs.getByTestId('open-file').click();
  await expect(theirs.getByTestId('file-image')).toBeVisible();
  expect(await theirs.getByTestId('file-image').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1600);
  await expect(beto.page.getByTestId('space-used')).not.toContainText(' 0 KB');
  await theirs.getByTestId('drop-file').click();
  await expect(theirs.getByTestId('file-here')).toContainText(`0 of ${pieces} pieces`);

  await browse(beto.page);
  await card(beto.page, 'Seed map to copy').click();
  await expect(beto.page.getByTestId('attachments')).toBeVisible();

  // Files for members only are sealed on Ana's phone (openspec/changes/sealed-files): the share form says
  // so, and a photo picked in the post form before "members only" is chosen goes out with the post, sealed.
  await tapNav(ana.page, 'library');
  await ana.page.getByTestId('share-audience').selectOption('trusted');
  await expect(ana.page.getByTestId('share-sealed')).toContainText('Only vouched members will be able to open it');
  await tapNav(ana.page, 'offer');
  await ana.page.getByTestId('title').fill('Route to the clinic');
  await ana.page.getByTestId('category').selectOption({ index: 1 });
  await ana.page.getByTestId('photo').setInputFiles({ name: 'clinic-route.jpg', mimeType: 'image/jpeg', buffer: await photoWithExif(ana.page) });
  await expect(ana.page.getByTestId('photo-added')).toContainText('clinic-route.jpg');
  await ana.page.getByTestId('audience').selectOption('trusted');
  await ana.page.getByTestId('submit').click();
  await expect(ana.page.getByTestId('attachments')).toContainText('clinic-route.jpg', { timeout: 30_000 });
  // Beto, whom nobody vouched for, sees that a file exists and nothing more.
  await tapNav(beto.page, 'library');
  const locked = beto.page.getByTestId('library-file').filter({ hasText: 'File for members' });
  await expect(locked.getByTestId('file-locked')).toHaveText('Only members can open this file.');
  await expect(locked.getByTestId('fetch-file')).toHaveCount(0);
  await expect(beto.page.getByTestId('library-file').filter({ hasText: 'clinic-route' })).toHaveCount(0);
  await ana.context.close();
  await beto.context.close();
});

/** A small JPEG from the page's canvas with an EXIF segment (GPS and camera text) spliced in after SOI. */
async function photoWithExif(page: Page): Promise<Buffer> {
  const jpeg = await page.evaluate(async () => {
    const c = new OffscreenCanvas(64, 48);
    c.getContext('2d')!.fillRect(0, 0, 32, 24);
    return [...new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg' })).arrayBuffer())];
  });
  const exif = Buffer.from('Exif\0\0GPSLatitude 40.4168 N; GPSLongitude 3.7038 W; Model Pixel 8', 'latin1');
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff]), exif]);
  return Buffer.concat([Buffer.from(jpeg.slice(0, 2)), app1, Buffer.from(jpeg.slice(2))]);
}

test('Scenario: a small photo shared at its original size loses its location and camera details', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana');
  const original = await photoWithExif(ana.page);
  expect(original.includes('GPSLatitude')).toBe(true);
  await tapNav(ana.page, 'library');
  await ana.page.getByTestId('share-file').setInputFiles({ name: 'street.jpg', mimeType: 'image/jpeg', buffer: original });
  await ana.page.getByTestId('share-submit').click();
  await expect(ana.page.getByTestId('upload-progress')).toContainText('Location and camera details removed');
  const mine = ana.page.getByTestId('library-file').filter({ hasText: 'street.jpg' });
  await mine.getByTestId('open-file').click();
  await expect(mine.getByTestId('file-image')).toBeVisible();
  // What another phone would get: the file as the library holds it, saved through the page's own link.
  const [download] = await Promise.all([ana.page.waitForEvent('download'), mine.getByTestId('file-download').click()]);
  const text = (await readFile((await download.path())!)).toString('latin1');
  expect(text.length).toBeGreaterThan(100);
  expect(text).not.toContain('GPSLatitude');
  expect(text).not.toContain('Pixel 8');
  expect(await mine.getByTestId('file-image').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);
  await ana.context.close();
});

// openspec/changes/plain-notices — the post form says what it removed from a photo, where it was picked
for (const lang of ['en', 'es'] as const) {
  test(`Scenario: a photo picked in the post form tells the person its location and camera details were removed (${lang})`, async ({ browser }) => {
    const ana = await openTouchPhone(browser, relay.url, lang);
    await join(ana.page, 'Ana');
    await openForm(ana.page, 'offer');
    await ana.page.getByTestId('photo').setInputFiles({ name: 'street.jpg', mimeType: 'image/jpeg', buffer: await photoWithExif(ana.page) });
    const added = ana.page.getByTestId('photo-added');
    await expect(added).toHaveAttribute('role', 'status');
    await expect(added).toContainText('street.jpg');
    await expect(ana.page.getByTestId('photo-cleaned')).toHaveText(
      lang === 'en'
        ? 'We removed the location and camera details from this photo, so it does not show where it was taken.'
        : 'Quitamos de esta foto la ubicación y los datos de la cámara, así no muestra dónde se tomó.',
    );
    // It wraps within a 360 px phone: nothing pushes the form sideways.
    const box = (await added.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(await ana.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await ana.context.close();
  });
}

// openspec/changes/trust-settings — the organisers' signed largest-file limit
test('Scenario: a file larger than the community’s signed limit is refused with the limit in plain words and nothing is shared', async ({ browser }) => {
  const ana = await openPhone(browser, relay.url);
  await join(ana.page, 'Ana'); // first member: the relay names her organiser
  await ana.page.evaluate(() => (location.hash = '#/community-settings'));
  await expect(ana.page.getByTestId('community-settings')).toHaveAttribute('data-organiser', 'true', { timeout: 30_000 });
  await ana.page.getByTestId('cs-library').fill('1');
  await ana.page.getByTestId('cs-save').click();
  await expect(ana.page.getByTestId('cs-saved')).toBeVisible();

  await tapNav(ana.page, 'library');
  await ana.page.getByTestId('share-file').setInputFiles({ name: 'flood-map.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(1024 * 1024 + 1, 7) });
  await ana.page.getByTestId('share-submit').click();
  await expect(ana.page.getByRole('alert')).toHaveText('This file is larger than your community allows: files can be up to 1 MB. Share a smaller file, or ask an organiser.');
  await expect(ana.page.getByTestId('library-file')).toHaveCount(0);
  await expect(ana.page.getByTestId('upload-progress')).toHaveCount(0);
  await ana.context.close();
});
