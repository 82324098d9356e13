import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../helpers/temp-dirs.ts';
import { CarriageLists } from '../../../relay/dtn/carriage-lists.ts';
import type { Logger } from '../../../relay/log.ts';

// openspec/changes/sealed-carriage — a relay named later gets a community's docs whole.

const dataDir = tempDirs('spm-lists-');
const quiet = { warn: () => undefined, error: () => undefined, info: () => undefined } as unknown as Logger;

describe('carriage lists', () => {
  it('Scenario: only a key added to a community’s list asks for its docs again whole, across a restart', async () => {
    const dir = await dataDir();
    const lists = new CarriageLists(dir, quiet);
    await lists.load();
    expect(lists.grew('c1', ['A'])).toBe(false); // the first list seen: what came before was sealed to it
    expect(lists.grew('c1', ['A'])).toBe(false);
    expect(lists.grew('c1', ['A', 'B'])).toBe(true);
    expect(lists.grew('c1', ['B', 'A'])).toBe(false); // order does not matter
    expect(lists.grew('c1', ['B'])).toBe(false); // a removal needs nothing
    await lists.close();
    const again = new CarriageLists(dir, quiet);
    await again.load();
    expect(again.grew('c1', ['B', 'C'])).toBe(true);
    expect(again.grew('c2', ['A', 'B'])).toBe(false);
    await again.close();
  });

  it('Scenario: a damaged carriage lists file is set aside and the relay starts with none', async () => {
    const dir = await dataDir();
    await writeFile(path.join(dir, 'carriage-lists.json'), JSON.stringify({ c1: [1, 2] }));
    const lists = new CarriageLists(dir, quiet);
    await lists.load();
    expect(await readdir(dir)).not.toContain('carriage-lists.json');
    expect(lists.grew('c1', ['A'])).toBe(false);
    await lists.close();
  });
});
