import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What layering tests read: the import statements of the source itself. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function sourceFiles(dir: string): string[] {
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

export interface Import {
  file: string;
  spec: string;
  /** repository-relative target for relative specifiers, undefined for packages */
  target?: string;
}

export function importsOf(dir: string): Import[] {
  return sourceFiles(dir).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8')).map((spec) => ({
      file: path.relative(ROOT, file),
      spec,
      target: spec.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(file), spec)) : undefined,
    })),
  );
}

export const inside = (target: string | undefined, dir: string): boolean => target !== undefined && (target === dir || target.startsWith(`${dir}/`));
export const shown = (list: Import[]): string[] => list.map((i) => `${i.file} → ${i.spec}`);
export const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

