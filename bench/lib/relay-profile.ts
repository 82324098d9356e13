import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * RELAY_CPU_PROF=<dir>: a bench profiles the relay over the part it measures (relay-cpu-profiler.mjs, loaded
 * into the relay with --import). `env` goes into the relay's environment; `start` and `write` bracket the part.
 */
export const relayProfile = {
  env(): Record<string, string> {
    return process.env.RELAY_CPU_PROF ? { NODE_OPTIONS: `--import ${fileURLToPath(new URL('./relay-cpu-profiler.mjs', import.meta.url))}` } : {};
  },
  start(pid: number): void {
    if (process.env.RELAY_CPU_PROF) process.kill(pid, 'SIGUSR2');
  },
  /** Asks for the profile (the second SIGUSR2) and waits, bounded, until its file is there. */
  async write(pid: number): Promise<void> {
    if (!process.env.RELAY_CPU_PROF) return;
    process.kill(pid, 'SIGUSR2');
    const file = `${process.env.RELAY_CPU_PROF}/relay-${pid}.cpuprofile`;
    for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
  },
};
