import { describe, expect, it } from 'vitest';

// openspec/changes/protocol-module — the layering the phone↔relay contract relies on, checked on
// the import statements of the source itself.
import { importsOf, inside, NODE_BUILTINS, shown, specifiers } from '../../helpers/source-imports.ts';

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
