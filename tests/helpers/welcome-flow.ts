import type { Page } from '@playwright/test';

export interface WelcomeAnswers {
  name: string;
  invite?: string;
  pin?: string;
  /** 'es' to answer the first screen in Spanish. */
  language?: 'en' | 'es';
}

/**
 * Walks the first-run screens as a person does — language, name, PIN (skipped when none), then join —
 * and taps Join. Only the Page API, so benches use it too; callers wait for what they need afterwards.
 */
export async function walkWelcome(page: Page, a: WelcomeAnswers): Promise<void> {
  await walkToJoin(page, a);
  await page.getByTestId('join').click();
}

/** The same walk up to the last screen, with Join not yet tapped (a bench times from that tap). */
export async function walkToJoin(page: Page, a: WelcomeAnswers): Promise<void> {
  if (a.language) await page.getByTestId(`lang-${a.language}`).check();
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('name').fill(a.name);
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('new-pin').waitFor();
  if (a.pin) {
    await page.getByTestId('new-pin').fill(a.pin);
    await page.getByTestId('repeat-pin').fill(a.pin);
  }
  await page.getByTestId('welcome-next').click();
  if (a.invite) await page.getByTestId('invite').fill(a.invite);
}

/**
 * The browser's offer to install the app (Chromium's beforeinstallprompt), as headless Chromium never
 * makes it: `prompt()` marks `window.prompted`, and the person accepts.
 */
export async function offerInstall(page: Page): Promise<void> {
  await page.evaluate(() => {
    const e = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: async () => void ((window as unknown as { prompted: boolean }).prompted = true),
      userChoice: Promise.resolve({ outcome: 'accepted' }),
    });
    dispatchEvent(e);
  });
}
