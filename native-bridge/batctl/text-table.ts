import { BatctlError } from './errors.ts';
import { MAX_TABLE_ROWS } from './json-table.ts';

/**
 * Splits a batctl debug table into data lines, dropping the two header lines batctl prints
 * ("[B.A.T.M.A.N. adv …]" and the column titles). "BATMAN mesh bat0 disabled" means the mesh has
 * no active hard interface: an empty table, not an error.
 */
export function dataLines(text: string, columnTitle: RegExp, what: string): string[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const out: string[] = [];
  for (const line of lines) {
    if (line.startsWith('[B.A.T.M.A.N. adv ')) continue;
    if (/^BATMAN mesh \S+ disabled$/.test(line.trim())) continue;
    if (columnTitle.test(line)) continue;
    out.push(line);
  }
  if (out.length > MAX_TABLE_ROWS) throw new BatctlError('parse', `${what}: ${out.length} rows exceeds ${MAX_TABLE_ROWS}`);
  return out;
}

export function parseSeconds(secs: string, millis: string): number {
  return Number(secs) * 1000 + Number(millis);
}

/** "(  54.0)" as printed by batctl: whole Mbit/s and one decimal of the remaining kbit/s. */
export function parseThroughput(mbits: string, tenths: string): number {
  return Number(mbits) * 1000 + Number(tenths) * 100;
}
