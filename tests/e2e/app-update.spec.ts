import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from './fixtures.ts';
import { ROOT, startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { card, openPhone, post, tapNav, waitForServiceWorker } from './phone.ts';

// openspec/specs/pwa-install/spec.md — a new version waits for the next move between screens
let relay: RelayProcess;
let appDir: string;
test.beforeEach(async () => {
  // The hub serves its own copy of the built app, so the scenario can upgrade it.
  appDir = await mkdtemp(path.join(os.tmpdir(), 'spm-app-'));
  await cp(path.join(ROOT, 'dist'), appDir, { recursive: true });
  relay = await startRelayProcess({ args: ['--static-dir', appDir] });
});
test.afterEach(async () => {
  await relay.cleanup();
  await rm(appDir, { recursive: true, force: true });
});

/** The hub is upgraded: a service worker that differs by a byte is a new version to the browser. */
async function upgradeHub(): Promise<void> {
  const sw = path.join(appDir, 'sw.js');
  await writeFile(sw, `${await readFile(sw, 'utf8')}\n// the next version\n`);
  // The build's compressed copies would still be the old one.
  await Promise.all(['.br', '.gz'].map((ext) => rm(sw + ext, { force: true })));
}

/** Asks the browser to look for a new version now (it would on its own at the next visit), until it took over. */
async function newVersionTakesOver(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration!.update();
    const next = registration!.installing ?? registration!.waiting;
    if (!next) throw new Error('the browser found no new version');
    await new Promise<void>((resolve) => {
      const done = (): void => void (next.state === 'activated' && resolve());
      next.addEventListener('statechange', done);
      done();
    });
  });
}

const sameLoad = (page: Page): Promise<boolean> => page.evaluate(() => (window as unknown as { sameLoad?: boolean }).sameLoad === true);

test('Scenario: a new version arriving mid-welcome loses nothing typed and loads at the next move between screens', async ({ browser }) => {
  const { page } = await openPhone(browser, relay.url);
  await waitForServiceWorker(page);
  await page.evaluate(() => void ((window as unknown as { sameLoad: boolean }).sameLoad = true));
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('name').fill('Ana');

  await upgradeHub();
  await newVersionTakesOver(page);
  // The same page, with the name still typed in.
  expect(await sameLoad(page)).toBe(true);
  await expect(page.getByTestId('name')).toHaveValue('Ana');
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('join').click();
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');

  // Opening the post form is the next move: it loads the new version, and the form works on it.
  await post(page, { kind: 'offer', title: 'Seedlings' });
  await expect.poll(() => sameLoad(page)).toBe(false);
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('intent-detail')).toContainText('Seedlings');
  await tapNav(page, 'browse');
  await expect(card(page, 'Seedlings')).toBeVisible();
});
