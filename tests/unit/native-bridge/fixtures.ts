import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../native-bridge/fixtures');
export const RECORDINGS = path.join(FIXTURES, 'batctl-2023.0');
/** Stand-in for batctl: this machine has no batman-adv kernel module, so it replays recordings. */
export const FAKE_BATCTL = path.join(FIXTURES, 'fake-batctl.sh');

export function recording(scenario: string, table: string, stream: 'out' | 'err' = 'out'): string {
  return readFileSync(path.join(RECORDINGS, scenario, `${table}.${stream}`), 'utf8');
}
