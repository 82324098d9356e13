import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Ends a child process and waits for it, or returns at once if it has already exited.
 * A child killed by a signal keeps `exitCode === null` (its `signalCode` is set), so checking
 * `exitCode` alone waits for an 'exit' event that was already emitted, for ever. */
export async function endChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}
