import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEBUG_SECTIONS, withoutCustomSections } from '../../../scripts/wasm-custom-sections.ts';
import { customSection, WASM_MAGIC } from '../../helpers/wasm-bytes.ts';

const MAGIC = WASM_MAGIC;
const custom = customSection;
/** A type section with one `() -> ()` function type: a real section the strip must keep byte for byte. */
const TYPES = [1, 4, 1, 0x60, 0, 0];

let dir = '';
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

describe('build: the phone’s wasm without debug names', () => {
  it('Scenario: Automerge without its wasm’s debug names changes, merges, saves and loads as the stock one does', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'am-stripped-'));
    const dist = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.resolve('@automerge/automerge/slim')))));
    await cp(dist, dir, { recursive: true });
    let stripped = 0;
    for (const f of await readdir(dir, { recursive: true })) {
      if (!f.endsWith('.wasm')) continue;
      const file = path.join(dir, f);
      const before = await readFile(file);
      const after = withoutCustomSections(before, DEBUG_SECTIONS);
      expect(after.length).toBeLessThan(before.length - 500_000); // the names are most of a megabyte
      await writeFile(file, after);
      stripped++;
    }
    expect(stripped).toBeGreaterThan(0);
    const A = (await import(pathToFileURL(path.join(dir, 'mjs', 'entrypoints', 'fullfat_node.js')).href)) as typeof import('@automerge/automerge');
    let a = A.from<{ posts: Record<string, { title: string }> }>({ posts: {} });
    let b = A.clone(a);
    a = A.change(a, (d) => void (d.posts.x = { title: 'Bread' }));
    b = A.change(b, (d) => void (d.posts.y = { title: 'Rice' }));
    const merged = A.load<{ posts: Record<string, { title: string }> }>(A.save(A.merge(a, b)));
    expect(Object.keys(merged.posts).sort()).toEqual(['x', 'y']);
  });

  it('Scenario: only the named custom sections go; every other byte stays, and the module is still valid (property)', () => {
    const section = fc.oneof(
      fc.record({ name: fc.constantFrom('name', 'producers', 'target_features', 'sourceMappingURL', ''), payload: fc.array(fc.nat(255), { maxLength: 300 }) }),
      fc.record({ name: fc.string({ maxLength: 8 }), payload: fc.array(fc.nat(255), { maxLength: 40 }) }),
    );
    fc.assert(
      fc.property(fc.array(section, { maxLength: 6 }), fc.array(section, { maxLength: 6 }), (before, after) => {
        const module = (cs: typeof before) => cs.flatMap((c) => custom(c.name, c.payload));
        const kept = (cs: typeof before) => cs.filter((c) => !DEBUG_SECTIONS.has(c.name));
        const input = new Uint8Array([...MAGIC, ...module(before), ...TYPES, ...module(after)]);
        const out = withoutCustomSections(input, DEBUG_SECTIONS);
        expect([...out]).toEqual([...MAGIC, ...module(kept(before)), ...TYPES, ...module(kept(after))]);
        expect(WebAssembly.validate(out)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('Scenario: bytes that are not a wasm module stop the build with a plain error, never anything else', () => {
    expect(() => withoutCustomSections(new Uint8Array([1, 2, 3]), DEBUG_SECTIONS)).toThrow('not a version 1 WebAssembly module');
    expect(() => withoutCustomSections(new Uint8Array([...MAGIC, 0, 50, 4]), DEBUG_SECTIONS)).toThrow('runs past the end');
    expect(() => withoutCustomSections(new Uint8Array([...MAGIC, 0, 2, 9, 0x61]), DEBUG_SECTIONS)).toThrow('name longer than itself');
    expect(() => withoutCustomSections(new Uint8Array([...MAGIC, 0, 2, 1, 0xff]), DEBUG_SECTIONS)).toThrow('not UTF-8');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
        try {
          withoutCustomSections(new Uint8Array([...MAGIC, ...tail]), DEBUG_SECTIONS);
        } catch (err) {
          expect(String(err)).toMatch(/^Error: wasm: /);
        }
      }),
      { numRuns: 500 },
    );
  });
});
