import fc from 'fast-check';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../helpers/temp-dirs.ts';
import { openDataKey, openState, SealedDataError, sealState } from '../../../relay/sealed-data.ts';

// openspec/specs/relay-robustness/spec.md — a relay can keep its data dir sealed under a passphrase.
const FAST = { N: 2 ** 10, r: 8, p: 1 }; // the vault's lowest bound: the schedule, not its cost, is tested
const dataDir = tempDirs('spm-sealed-');

describe('sealed relay data', () => {
  it('Scenario: the data key made on the first sealed start is the one later starts unlock; another passphrase, none, or a clear data dir is refused', async () => {
    const dir = await dataDir();
    const made = await openDataKey(dir, 'correct horse battery staple', FAST);
    expect(made).toHaveLength(32);
    expect(await openDataKey(dir, 'correct horse battery staple', FAST)).toEqual(made);
    await expect(openDataKey(dir, 'correct horse battery stapler', FAST)).rejects.toThrow(/wrong passphrase/);
    await expect(openDataKey(dir, undefined, FAST)).rejects.toThrow(/is sealed: start the relay with --passphrase-file/);

    const clear = await dataDir();
    expect(await openDataKey(clear, undefined, FAST)).toBeUndefined();
    await mkdir(path.join(clear, 'repo', 'ab'), { recursive: true });
    await expect(openDataKey(clear, 'correct horse battery staple', FAST)).rejects.toThrow(/written without a passphrase \(repo\/\)/);
    const withKey = await dataDir();
    await writeFile(path.join(withKey, 'relay-key.json'), '{}');
    await expect(openDataKey(withKey, 'correct horse battery staple', FAST)).rejects.toThrow(SealedDataError);
  });

  it('Scenario: a sealed state file opens only under its own key and label, and a clear one is refused (property)', () => {
    const key = new Uint8Array(32).fill(7);
    const other = new Uint8Array(32).fill(8);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const stored = sealState(key, 'communities', value);
        expect(openState(key, 'communities', stored)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(() => openState(other, 'communities', stored)).toThrow();
        expect(() => openState(key, 'key', stored)).toThrow();
        expect(() => openState(key, 'communities', value)).toThrow();
      }),
    );
  });
});
