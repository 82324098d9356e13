import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeJsonAtomic } from '../../../relay/state-file.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('relay state files', () => {
  it('Scenario: many writes of one state file at once all finish, the last one written is on disk, and no temp file is left', async () => {
    // Seen in a CI run: two services wrote relay.json at once through one temp name, one renamed it
    // from under the other, and the relay logged an unhandled ENOENT.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spm-state-'));
    dirs.push(dir);
    const file = path.join(dir, 'relay.json');
    const writes = Array.from({ length: 20 }, (_, i) => writeJsonAtomic(file, { communities: i }));
    const results = await Promise.allSettled(writes);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ communities: 19 });
    expect(await readdir(dir)).toEqual(['relay.json']);
  });
});
