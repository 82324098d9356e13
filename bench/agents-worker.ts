/**
 * `npm run bench -- agents-worker`: all fourteen agents over a 10,000-record community in a Web Worker
 * in Chromium, with the main thread's input lag measured during the run, and the same run on the main
 * thread as the baseline (its lag is the whole run). Chromium is Debian's (see tests/helpers/browser.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { launchOptions } from '../tests/helpers/browser.ts';
import { printWhenRunDirectly } from './lib/print-when-run-directly.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function bundle(entry: string): Promise<string> {
  const out = await build({ entryPoints: [path.join(ROOT, entry)], bundle: true, format: 'iife', write: false, platform: 'browser', target: 'es2022', logLevel: 'silent' });
  return out.outputFiles[0].text;
}

export async function run(): Promise<Array<Record<string, unknown>>> {
  const [page, worker] = await Promise.all([bundle('bench/browser/agents-latency.ts'), bundle('src/platform/agents-worker.ts')]);
  const browser = await chromium.launch(launchOptions);
  try {
    const p = await browser.newPage();
    await p.setContent('<!doctype html><title>agents bench</title>');
    await p.addScriptTag({ content: page });
    return await p.evaluate(async (code) => {
      const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
      return window.benchAgents(url);
    }, worker);
  } finally {
    await browser.close();
  }
}

await printWhenRunDirectly(import.meta.url, run);
