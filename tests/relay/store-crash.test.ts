import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { BundleStore, QUARANTINE_DIR, isTempName } from '../../relay/dtn/store/index.ts';
import { payloadFor, removeDir, sizeFor, tempDir } from './fixtures/store-payload.ts';

const WRITER = join(import.meta.dirname, 'fixtures', 'store-writer.ts');
const ACKS_BEFORE_KILL = 250;
const ROUNDS = 3;

interface Killed {
  acked: string[];
  tempsLeft: number;
}

/** Run the writer until it has acknowledged `acks` puts, then SIGKILL it in the middle of its burst. */
async function writeThenKill(dir: string, round: number, acks: number): Promise<Killed> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(round)], {
    cwd: join(import.meta.dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  const acked: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === 'ready') continue;
    acked.push(line);
    if (acked.length === acks) {
      child.kill('SIGKILL');
      break;
    }
  }
  const how = await exited;
  expect(how, `writer died on its own: ${stderr}`).toBe('SIGKILL');
  const tempsLeft = (await readdir(dir)).filter(isTempName).length;
  return { acked, tempsLeft };
}

describe('bundle store: crash safety', () => {
  let dir = '';
  afterEach(async () => {
    await removeDir(dir);
  });

  it('Scenario: acknowledged bundles survive SIGKILL during a burst of writes', async () => {
    dir = await tempDir();
    const everAcked: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { acked, tempsLeft } = await writeThenKill(dir, round, ACKS_BEFORE_KILL);
      everAcked.push(...acked);
      // Reported so a reader can see the kill landed mid-write in at least some rounds.
      console.info(`round ${round}: ${acked.length} acked, ${tempsLeft} temp files left by the kill`);

      const store = await BundleStore.open(dir);
      for (const id of everAcked) {
        expect(store.has(id), id).toBe(true);
        expect(await store.get(id), id).toEqual(payloadFor(id, sizeFor(id)));
      }
      expect(store.stats().count).toBeGreaterThanOrEqual(everAcked.length);
      await store.close();

      // Scenario: leftover temp files are removed at open — and nothing was corrupt enough to quarantine.
      const names = await readdir(dir);
      expect(names.filter(isTempName)).toEqual([]);
      expect(await readdir(join(dir, QUARANTINE_DIR))).toEqual([]);
    }
  });
});
