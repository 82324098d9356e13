import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { afterAll, afterEach } from 'vitest';
import { chromiumPath, launchOptions } from './browser.ts';
import type { Islands } from './islands.ts';
import { writeFailureNote } from './failure-notes.ts';
import { phoneReport } from './phone-report.ts';

/**
 * Chromium started inside network namespace `ns` (phones-netns.ts says why): Playwright runs this
 * script as the browser, and `ip netns exec` keeps the pipes Playwright talks to it over.
 */
function chromiumIn(ns: string, dir: string): string {
  const file = path.join(dir, 'chromium');
  writeFileSync(file, `#!/bin/sh\nexec ip netns exec '${ns}' '${chromiumPath}' "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

/**
 * What every mesh test file needs: one Chromium for its phones, started with the first phone in the
 * islands' phone namespace, and its islands torn down afterwards. Call at the top level of a test file;
 * `phoneOptions` shape every phone (a 360 px screen, say).
 */
export function meshSuite(phoneOptions: BrowserContextOptions = {}) {
  let browser: Browser | undefined;
  let net: Islands | undefined;
  let scriptDir: string | undefined;
  const phones: BrowserContext[] = [];
  const launch = async (): Promise<Browser> => {
    if (!net?.phoneNetns) return chromium.launch(launchOptions);
    scriptDir = mkdtempSync(path.join(os.tmpdir(), 'spm-phones-'));
    return chromium.launch({ ...launchOptions, executablePath: chromiumIn(net.phoneNetns, scriptDir) });
  };
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    // What each relay and phone saw, so a failure on a CI machine can be understood afterwards: all of it
    // here, and its gist where CI keeps it, at the end of the output (failure-notes.ts).
    if (net) console.log(await net.report());
    const screens: string[] = [];
    for (const [i, context] of phones.entries()) {
      const report = await phoneReport(context, i + 1);
      console.log(report);
      screens.push(...report.split('\n').slice(0, 2));
    }
    writeFailureNote(task.name, [...(net ? await net.brief() : []), ...screens]);
  });
  afterAll(async () => {
    await browser?.close();
    await net?.cleanup();
    if (scriptDir) rmSync(scriptDir, { recursive: true, force: true });
  });
  return {
    /** Remembers the islands so they are cleaned up even when the test fails; phones start in their namespace. */
    use(islands: Islands): Islands {
      net = islands;
      return islands;
    },
    /** A fresh phone (its own browser context) on the relay at `url`, app loaded. */
    async phone(url: string): Promise<Page> {
      browser ??= await launch();
      const context = await browser.newContext({ ...phoneOptions, baseURL: url });
      phones.push(context);
      const page = await context.newPage();
      await page.goto('/');
      return page;
    },
  };
}
