import { startRelayProcess } from '../tests/helpers/relay-process.ts';
import { walkWelcome } from '../tests/helpers/welcome-flow.ts';
import { buildApp } from './lib/build.ts';
import { launchChromium } from './lib/chromium.ts';
import { firstOrganiser } from './lib/seed-sealed.ts';
const n = Number(process.argv[2] ?? 10000);
const staticDir = await buildApp();
const relay = await startRelayProcess({ args: ['--static-dir', staticDir], env: { LOG_LEVEL: 'info' } });
const browser = await launchChromium();
const organiser = await firstOrganiser(relay.url);
try {
  const context = await browser.newContext({ baseURL: relay.url, locale: 'en-US', viewport: { width: 360, height: 740 }, bypassCSP: true });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console', m.type(), m.text().slice(0, 300)); });
  await page.goto('/');
  await walkWelcome(page, { name: 'Bench phone' });
  await page.locator('main[data-phase="ready"]').waitFor();
  const t0 = Date.now();
  await organiser.sealFor('Bench phone', n);
  console.log('sealFor done', (Date.now() - t0) / 1000);
  for (let i = 0; i < 5; i++) {
    const s = await page.evaluate(`JSON.stringify({ count: document.querySelector('.count')?.textContent, intake: document.querySelector('[data-testid=intake-progress]')?.textContent, main: document.querySelector('main')?.innerText.slice(0, 300), url: location.hash })`);
    const st = (await import('node:fs')).readFileSync(`/proc/${relay.child.pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    console.log(((Date.now() - t0) / 1000).toFixed(0), 'relay cpu', (Number(st[11]) + Number(st[12])) / 100, String(s).slice(0, 120), relay.logs.slice(-2).join(' ').slice(0, 300));
    if (String(s).includes(' of ' + n.toLocaleString('en-US'))) break;
    await page.waitForTimeout(5000);
  }
} finally {
  const bad = relay.logs.filter((l) => /"level":(40|50|60)/.test(l));
  console.log('ERRORS', bad.length);
  for (const l of bad.slice(0, 4)) console.log(l.slice(0, 3000));
  await organiser.close(); await browser.close(); await relay.cleanup();
}
process.exit(0);
