import type { Page } from '@playwright/test';
import { expect } from 'vitest';

/** The phone says every change it made has reached its relay (the status bar's pending line). */
export async function synced(page: Page): Promise<void> {
  await expect.poll(async () => page.getByTestId('pending').textContent(), { timeout: 20_000 }).toBe('Everything sent');
}
