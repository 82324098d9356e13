import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Short notes on why a test failed, printed by `npm test` (tests/run-all.ts) under the failed test's
 * name at the very end of its output. CI keeps only the end of the output: the full report a failed
 * mesh scenario prints (every relay's log) is thousands of lines above it, and a test that ran into its
 * time limit says nothing but "timed out". The runner names the directory in SPM_FAILURE_NOTES; run by
 * hand, nothing is written (the full report is on the screen).
 */
export const FAILURE_NOTES_ENV = 'SPM_FAILURE_NOTES';

/** Lines kept per note: enough for each relay's last lines, short enough for the end of a CI log. */
const MAX_LINES = 40;
const MAX_LINE = 240;

export function writeFailureNote(test: string, lines: string[]): void {
  const dir = process.env[FAILURE_NOTES_ENV];
  if (!dir || !existsSync(dir)) return;
  const body = lines.slice(0, MAX_LINES).map((l) => (l.length > MAX_LINE ? `${l.slice(0, MAX_LINE)}…` : l));
  appendFileSync(path.join(dir, `${process.pid}.txt`), `${[`note on ${test}:`, ...body].join('\n')}\n`);
}

/** Every note written under `dir`, in the order the files were named. */
export function readFailureNotes(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8').trimEnd());
}
