import { execFile } from 'node:child_process';
import { RELAY_BUNDLE } from '../../scripts/build-relay.ts';
import type { RelayProcess } from './relay-process.ts';
import { ROOT } from './relay-process.ts';

export interface CliRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs `node dist-relay/main.mjs <args> --data-dir <relay's>` as an operator would, on the running relay. */
export function operator(r: RelayProcess, args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [RELAY_BUNDLE, ...args, '--data-dir', r.dataDir], { cwd: ROOT, encoding: 'buffer', timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : undefined) : 0;
      if (code === undefined) return reject(err);
      resolve({ code, stdout, stderr: stderr.toString('utf8') });
    });
  });
}

/** The command's JSON answer; throws with its stderr when it failed. */
export async function operatorJson<T>(r: RelayProcess, args: string[]): Promise<T> {
  const run = await operator(r, [...args, '--json']);
  if (run.code !== 0) throw new Error(`${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout.toString('utf8')) as T;
}
