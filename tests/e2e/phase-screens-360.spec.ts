import { expect, test, type Browser, type Page } from './fixtures.ts';
import { relayPerTest } from './relay-per-test.ts';
import { PHASE_SCREENS } from '../../src/app/routes.ts';
import { WELCOME_STEPS, type WelcomePath, type WelcomeStep } from '../../src/app/features/welcome/welcome-draft.ts';
import { offerInstall } from '../helpers/welcome-flow.ts';
import { join, openTouchPhone } from './phone.ts';
import { screenProblems, spanishCheck } from './route-walk.ts';

// openspec/changes/phone-layout/specs/phone-layout/spec.md — the screens shown before the phone is open
// (PHASE_SCREENS in src/app/routes.ts: every step of the first run, and the lock screen) on a 360 x 740
// touch phone, in English and Spanish, at normal and doubled text size: what layout-360.spec.ts checks
// on every route of the route table. The screens and the first run's steps come from the app's own
// tables, so one added there is visited here without anyone listing it.
test.describe.configure({ mode: 'parallel' });
const relay = relayPerTest();

type Lang = 'en' | 'es';
type PhaseScreen = keyof typeof PHASE_SCREENS;
/** Checks the screen a page shows now; `label` names it in the findings. */
type Look = (page: Page, label: string) => Promise<void>;

/** What the crawl's member types: the only words on a Spanish screen that may be in another language. */
const NAME = 'Ana Lucía';
const PIN = '2468';

interface StepWalk {
  /** How a person answers the step to go on; none (a restore needs a real backup) ends its path there. */
  answer?: (page: Page) => Promise<void>;
  /** Other states of the step worth a look (a refusal with its reason), each reached from the step as it opened. */
  states?: Record<string, (page: Page) => Promise<void>>;
}

const refusedOnNext = async (page: Page) => {
  await page.getByTestId('welcome-next').click();
  await expect(page.getByTestId('welcome-error')).toBeVisible();
};

/** Every first-run step (the type makes a new one a compile error here until it is given a walk). */
const STEPS: Record<WelcomeStep, StepWalk> = {
  language: { answer: async () => undefined },
  name: { states: { 'no name': refusedOnNext }, answer: (page) => page.getByTestId('name').fill(NAME) },
  restore: { states: { 'no backup': refusedOnNext } },
  pin: {
    states: {
      'PINs differ': async (page) => {
        await page.getByTestId('new-pin').fill(PIN);
        await page.getByTestId('repeat-pin').fill('2469');
        await refusedOnNext(page);
      },
    },
    answer: async (page) => {
      await page.getByTestId('new-pin').fill(PIN);
      await page.getByTestId('repeat-pin').fill(PIN);
    },
  },
  join: {
    // The browser's offer to install (never made in headless Chromium, so made here) adds a pointer beside the step.
    states: {
      'offer to install': async (page) => {
        await offerInstall(page);
        await expect(page.getByTestId('install-pointer')).toBeVisible();
      },
    },
  },
};

/** How each path leaves the first step: Next for a new person, "I have a backup" to restore one. */
const LEAVE_LANGUAGE: Record<WelcomePath, string> = { newPerson: 'welcome-next', restoring: 'welcome-restore' };

/** Every path of the first run, step by step as a person goes; each step is looked at once. */
async function crawlWelcome(browser: Browser, lang: Lang, look: Look): Promise<void> {
  const { page } = await openTouchPhone(browser, relay.url, lang);
  const form = page.getByTestId('welcome-form');
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  const seen = new Set<WelcomeStep>();
  for (const path of Object.keys(WELCOME_STEPS) as WelcomePath[]) {
    const steps = WELCOME_STEPS[path];
    let at = 0;
    for (; at < steps.length; at++) {
      const step = steps[at]!;
      await expect(form).toHaveAttribute('data-step', step);
      if (!seen.has(step)) {
        seen.add(step);
        await look(page, `welcome ${step}`);
        for (const [state, reach] of Object.entries(STEPS[step].states ?? {})) {
          await reach(page);
          await look(page, `welcome ${step} (${state})`);
        }
      }
      const answer = STEPS[step].answer;
      if (at === steps.length - 1 || !answer) break;
      await answer(page);
      await page.getByTestId(at === 0 ? LEAVE_LANGUAGE[path] : 'welcome-next').click();
    }
    // Back to the first step, where the next path starts.
    for (; at > 0; at--) {
      await page.getByTestId('welcome-back').click();
      await expect(form).toHaveAttribute('data-step', steps[at - 1]!);
    }
  }
  expect([...seen].sort(), 'first-run steps the crawl reached').toEqual([...new Set(Object.values(WELCOME_STEPS).flat())].sort());
}

/** A phone with a PIN, reloaded: the lock screen, the same with a wrong PIN's reason, and with the wait after three. */
async function crawlLock(browser: Browser, lang: Lang, look: Look): Promise<void> {
  const { page } = await openTouchPhone(browser, relay.url, lang);
  await join(page, NAME, '', { pin: PIN });
  await page.reload();
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'locked');
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  await expect(page.getByTestId('lock-form')).toBeVisible();
  await look(page, 'lock');
  await page.getByTestId('pin').fill('0000');
  await page.getByTestId('unlock').click();
  await expect(page.getByTestId('lock-error')).toBeVisible();
  await look(page, 'lock (wrong PIN)');
  // Two more wrong PINs: the screen then says how long to wait, and the next try waits too.
  // (Each try empties the field when it is done: the next PIN is typed after that.)
  for (const tried of ['1111', '2222', PIN]) {
    await page.getByTestId('pin').fill(tried);
    await page.getByTestId('unlock').click();
    await expect(page.getByTestId('pin')).toHaveValue('');
  }
  await expect(page.getByTestId('lock-error')).toHaveText(/\d+/); // "Try again in N seconds", in either language
  await expect(page.locator('main')).toHaveAttribute('data-phase', 'locked');
  await look(page, 'lock (wait)');
}

/** How the crawl reaches each screen of PHASE_SCREENS (the type makes a new one a compile error here). */
const CRAWL: Record<PhaseScreen, (browser: Browser, lang: Lang, look: Look) => Promise<void>> = { welcome: crawlWelcome, lock: crawlLock };

for (const lang of ['en', 'es'] as const) {
  test(`Scenario: every first-run step and the lock screen fit a 360 px touch phone with no sideways scroll, cut-off control or serious accessibility issue, also at 200 % text${lang === 'es' ? ', all in Spanish' : ''} (${lang})`, async ({ browser }) => {
    const found: string[] = [];
    const spanish = spanishCheck([NAME]);
    const look: Look = async (page, label) => {
      found.push(...(await screenProblems(page, label, { axeAtDouble: true })));
      if (lang === 'es') await spanish.check(page, label);
    };
    for (const screen of Object.keys(PHASE_SCREENS) as PhaseScreen[]) await CRAWL[screen](browser, lang, look);
    expect.soft(found).toEqual([]);
    const offenders = spanish.offenders();
    expect(offenders, `not from the Spanish dictionary:\n${offenders.join('\n')}`).toEqual([]);
  });
}
