/**
 * The core loop on two phones (issue #18), timed: two touch phones (360×740) on one relay join and vouch,
 * then Ana posts an offer with a photo from Home (taps counted), Beto finds it and asks for it, Ana's badge
 * shows the request, she confirms, Beto writes to her from the post, and she marks it given. One row for
 * the taps from Home to a posted offer, one for the time of the whole loop after joining, one per step.
 * Run directly (`node --import tsx bench/journey.ts`) or through bench/run.ts.
 */
import { startRelayProcess } from '../tests/helpers/relay-process.ts';
import { findAndOpen, markGiven, messageFromPost, openWaitingRequest, postOfferWithPhoto, twoNeighbours } from '../tests/e2e/journey-steps.ts';
import { buildApp } from './lib/build.ts';
import { launchChromium } from './lib/chromium.ts';
import type { BenchRow } from './lib/row.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const TAP_TARGET = 4;

export async function run(): Promise<BenchRow[]> {
  const staticDir = await buildApp();
  const browser = await launchChromium();
  const relay = await startRelayProcess({ args: ['--static-dir', staticDir], env: { LOG_LEVEL: 'warn' } });
  try {
    const { ana, beto } = await twoNeighbours(browser, relay.url);
    const steps: Record<string, number> = {};
    const started = performance.now();
    let mark = started;
    const step = (name: string) => {
      const now = performance.now();
      steps[name] = Math.round(now - mark);
      mark = now;
    };
    const title = 'Winter coat, size M';
    const taps = await postOfferWithPhoto(ana, title);
    step('post');
    await findAndOpen(beto, 'coat', title);
    step('find');
    await beto.page.getByTestId('ask').tap();
    await ana.page.getByTestId('nav-requests').waitFor({ timeout: 60_000 });
    step('askUntilBadge');
    await openWaitingRequest(ana, title);
    await ana.page.getByTestId('confirm').tap();
    await beto.page.getByTestId('commitment').waitFor({ timeout: 60_000 });
    step('confirmUntilSeen');
    await messageFromPost(beto, 'Thank you! Can I come at 6?');
    await ana.page.getByTestId('nav-unread').waitFor({ timeout: 60_000 });
    step('messageUntilUnread');
    await markGiven(ana);
    step('markGiven');
    const total = Math.round(performance.now() - started);
    await ana.context.close();
    await beto.context.close();
    return [
      { name: 'journey.tapsHomeToPostedOffer', value: taps, unit: 'taps', target: TAP_TARGET, pass: taps <= TAP_TARGET, note: 'taps on buttons, links, lists and the photo picker; typing the title not counted' },
      { name: 'journey.coreLoop', value: total, unit: 'ms', phones: 2, viewport: '360x740', touch: true, steps, note: 'post with photo → find → ask → owner badge → confirm → message → mark given, one relay on loopback, no CPU throttling' },
    ];
  } finally {
    await relay.cleanup();
    await browser.close();
  }
}

await printWhenRunDirectly(import.meta.url, run, { exitAfter: true });
