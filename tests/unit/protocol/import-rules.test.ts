import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// openspec/changes/protocol-module — the layering the phone↔relay contract relies on, checked on
// the import statements of the source itself.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (depth > 12) throw new Error(`tree deeper than expected at ${d}`);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'fixtures') walk(p, depth + 1);
      } else if (/\.(ts|svelte)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(path.join(ROOT, dir), 0);
  return out;
}

/** Every module specifier a file names: static imports and re-exports, side-effect and dynamic imports. */
export function specifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [/\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1]);
  return out;
}

interface Import {
  file: string;
  spec: string;
  /** repository-relative target for relative specifiers, undefined for packages */
  target?: string;
}

function importsOf(dir: string): Import[] {
  return sourceFiles(dir).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8')).map((spec) => ({
      file: path.relative(ROOT, file),
      spec,
      target: spec.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(file), spec)) : undefined,
    })),
  );
}

const inside = (target: string | undefined, dir: string): boolean => target !== undefined && (target === dir || target.startsWith(`${dir}/`));
const shown = (list: Import[]): string[] => list.map((i) => `${i.file} → ${i.spec}`);
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe('import rules', () => {
  it('Scenario: the import scanner sees every kind of import statement', () => {
    const src = `import a from './a.ts';\nimport { b,\n  c } from "../b.ts";\nexport { d } from './d.ts';\nexport * from './e.ts';\nimport './f.ts';\nconst g = await import('./g.ts');\nimport type { H } from './h.ts';`;
    expect(specifiers(src).sort()).toEqual(['../b.ts', './a.ts', './d.ts', './e.ts', './f.ts', './g.ts', './h.ts']);
  });

  it('Scenario: src/core imports nothing outside src/core and no Node API', () => {
    const all = importsOf('src/core');
    expect(all.length).toBeGreaterThan(100);
    const outside = all.filter((i) => (i.target !== undefined ? !inside(i.target, 'src/core') : NODE_BUILTINS.has(i.spec)));
    expect(shown(outside)).toEqual([]);
  });

  it('Scenario: the relay and the native bridge import nothing from the app or the browser platform', () => {
    const all = [...importsOf('relay'), ...importsOf('native-bridge')];
    expect(all.length).toBeGreaterThan(100);
    expect(shown(all.filter((i) => inside(i.target, 'src/app') || inside(i.target, 'src/platform')))).toEqual([]);
  });

  it('Scenario: the native bridge imports nothing from the relay', () => {
    const all = importsOf('native-bridge');
    expect(all.some((i) => inside(i.target, 'src/core/protocol'))).toBe(true);
    expect(shown(all.filter((i) => inside(i.target, 'relay')))).toEqual([]);
  });

  it('Scenario: the protocol module imports only from src/core', () => {
    const all = importsOf('src/core/protocol');
    expect(shown(all.filter((i) => i.target === undefined ? i.spec !== 'cbor2' : !inside(i.target, 'src/core')))).toEqual([]);
  });
});
