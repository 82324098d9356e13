import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importsOf, inside, NODE_BUILTINS, shown, sourceFiles } from '../../helpers/source-imports.ts';

// openspec/changes/phone-client-layer — the phone's logic stays runnable in Node: what it may import and use.
const BROWSER_ONLY_PACKAGES = ['idb', 'dexie', 'svelte', '@automerge/automerge-repo-storage-indexeddb', '@automerge/automerge-repo-network-websocket'];
const BROWSER_GLOBALS = /\b(window|document|navigator|localStorage|sessionStorage|indexedDB|location|requestAnimationFrame|Notification|Worker|OffscreenCanvas|createImageBitmap)\b\s*[.(]|\$(state|derived|effect)\b/;

/** Source lines without comments (a comment may well name what the code must not use). */
function codeLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .map((l) => l.replace(/\/\/.*$/, ''));
}

describe('client layering', () => {
  it('Scenario: src/client imports nothing from the app, the browser platform, the relay, Node or browser-only packages', () => {
    const all = importsOf('src/client');
    expect(all.length).toBeGreaterThan(50);
    const bad = all.filter((i) =>
      i.target !== undefined ? inside(i.target, 'src/app') || inside(i.target, 'src/platform') || inside(i.target, 'relay') : NODE_BUILTINS.has(i.spec) || BROWSER_ONLY_PACKAGES.includes(i.spec),
    );
    expect(shown(bad)).toEqual([]);
  });

  it('Scenario: src/client uses no browser global and no Svelte rune', () => {
    const hits = sourceFiles('src/client').flatMap((file) => codeLines(file).flatMap((line, n) => (BROWSER_GLOBALS.test(line) ? [`${file}:${n + 1}: ${line.trim()}`] : [])));
    expect(hits).toEqual([]);
  });
});
