import { expect as baseExpect, type Page } from '@playwright/test';

/** The e2e config's expect timeout, also when bench/journey.ts runs these steps outside the test runner. */
const expect = baseExpect.configure({ timeout: 20_000 });

async function codeOf(page: Page): Promise<{ words: string; text: string }> {
  await page.getByTestId('nav-people').click();
  await page.getByTestId('my-code').click();
  await expect(page.getByTestId('my-qr').locator('svg')).toBeVisible();
  return { words: (await page.getByTestId('my-words').textContent())!.trim(), text: await page.getByTestId('my-code-text').inputValue() };
}

/** `from` vouches for `to` at full strength from `to`'s pasted code (as two people do in person). */
export async function vouchFor(from: Page, to: Page, name: string): Promise<void> {
  const code = await codeOf(to);
  await from.getByTestId('nav-people').click();
  await from.getByTestId('vouch').click();
  await from.getByTestId('paste-code').fill(code.text);
  await from.getByTestId('read-code').click();
  await expect(from.getByTestId('vouch-confirm')).toContainText(name);
  await from.getByTestId('strength-3').check();
  await from.getByTestId('sign-vouch').click();
  await expect(from.getByTestId('vouch-done')).toContainText(name);
}
