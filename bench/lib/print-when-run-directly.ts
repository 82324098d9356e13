import { pathToFileURL } from 'node:url';
import { buildRelay } from '../../scripts/build-relay.ts';

/**
 * Lets one benchmark run on its own (`node --import tsx bench/x.ts`): when the calling module is the
 * script node was started with, runs it and prints each row as one JSON line on stdout. Imported by
 * bench/run.ts, it does nothing. `exitAfter` is for benchmarks whose browsers or sockets would keep
 * the process alive after their rows are out.
 */
export async function printWhenRunDirectly(moduleUrl: string, run: () => Promise<readonly object[]>, o: { exitAfter?: boolean } = {}): Promise<void> {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  // As bench/run.ts does: relay processes must run the current sources, not a bundle left from before.
  await buildRelay();
  for (const row of await run()) process.stdout.write(JSON.stringify(row) + '\n');
  if (o.exitAfter) process.exit(0);
}
