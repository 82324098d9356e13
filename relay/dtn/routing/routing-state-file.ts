import { decode, encode } from 'cbor2';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { quarantineFile } from '../../state-file.ts';
import { MAX_HISTORY_IDS, MAX_HISTORY_PEERS } from './peer-history.ts';
import { MAX_PREDICTABILITIES } from './predictability.ts';
import { MAX_COUNTS, type SprayState } from './spray-and-wait.ts';

/**
 * The routing state a relay keeps across restarts, in `<data-dir>/routing-state.cbor`: the push
 * history per peer (so a restart does not send a standard neighbour everything again), spray-and-wait
 * copy counts, PRoPHET delivery predictabilities. Read as hostile input (a damaged disk, a hand edit):
 * every list and value is bounded and checked; a file that fails is moved to `quarantine/`, named in
 * the log, and the relay starts with empty state (what it costs: repeats, and copies lost, not minted).
 */
export const ROUTING_STATE_FILE = 'routing-state.cbor';
/** Larger than any file the bounds below allow: one past it is refused before it is read. */
export const MAX_STATE_BYTES = 64 * 1024 * 1024;
const MAX_KEY = 512;

export interface RoutingState {
  push: Array<[string, string[]]>;
  spray?: SprayState;
  prophet?: { agedAt: number; entries: Array<[string, number]> };
}

interface WarnLog {
  warn(obj: object, msg?: string): void;
}

/** A routing state file that fails a check; the message names what. */
export class RoutingStateError extends Error {
  override name = 'RoutingStateError';
}

function list(v: unknown, max: number, what: string): unknown[] {
  if (!Array.isArray(v) || v.length > max) throw new RoutingStateError(`${what}: not a list of at most ${max}`);
  return v;
}

function key(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length > MAX_KEY) throw new RoutingStateError(`${what}: not a string of at most ${MAX_KEY}`);
  return v;
}

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RoutingStateError(`${what}: not a number`);
  return v;
}

/** The state in `bytes`, checked; throws RoutingStateError naming the first thing wrong. */
export function decodeRoutingState(bytes: Uint8Array): RoutingState {
  let v: unknown;
  try {
    v = decode(bytes);
  } catch (e) {
    throw new RoutingStateError(`not CBOR: ${String(e).slice(0, 100)}`);
  }
  const o = v as { v?: unknown; push?: unknown; spray?: unknown; prophet?: unknown };
  if (typeof v !== 'object' || v === null || o.v !== 1) throw new RoutingStateError('not routing state version 1');
  let ids = 0;
  const push = list(o.push, MAX_HISTORY_PEERS, 'push').map((e): [string, string[]] => {
    const [peer, sent] = list(e, 2, 'push entry');
    const got = list(sent, MAX_HISTORY_IDS, 'push ids').map((id) => key(id, 'push id'));
    ids += got.length;
    if (ids > MAX_HISTORY_IDS) throw new RoutingStateError(`push: more than ${MAX_HISTORY_IDS} ids`);
    return [key(peer, 'push peer'), got];
  });
  const out: RoutingState = { push };
  if (o.spray !== undefined) {
    const s = o.spray as { startedAt?: unknown; counts?: unknown };
    if (typeof s !== 'object' || s === null) throw new RoutingStateError('spray: not a map');
    const counts = list(s.counts, MAX_COUNTS, 'spray counts').map((e): [string, number, string] => {
      const [id, n, dest] = list(e, 3, 'spray count');
      if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > 255) throw new RoutingStateError('spray count: not a whole number of copies');
      return [key(id, 'spray id'), n as number, key(dest, 'spray destination')];
    });
    out.spray = { startedAt: finite(s.startedAt, 'spray startedAt'), counts };
  }
  if (o.prophet !== undefined) {
    const p = o.prophet as { agedAt?: unknown; entries?: unknown };
    if (typeof p !== 'object' || p === null) throw new RoutingStateError('prophet: not a map');
    const entries = list(p.entries, MAX_PREDICTABILITIES, 'prophet entries').map((e): [string, number] => {
      const [k, x] = list(e, 2, 'prophet entry');
      const n = finite(x, 'predictability');
      if (n < 0 || n > 1) throw new RoutingStateError('predictability: outside [0, 1]');
      return [key(k, 'prophet endpoint'), n];
    });
    out.prophet = { agedAt: finite(p.agedAt, 'prophet agedAt'), entries };
  }
  return out;
}

export function encodeRoutingState(s: RoutingState): Uint8Array {
  return encode({ v: 1, ...s });
}

/**
 * The state kept in `dataDir`, or undefined: none yet, damaged (then quarantined and logged), or not
 * readable at all (logged; the relay starts without it rather than not start). Never throws.
 */
export async function loadRoutingState(dataDir: string, log: WarnLog): Promise<RoutingState | undefined> {
  const file = path.join(dataDir, ROUTING_STATE_FILE);
  let bytes: Uint8Array;
  try {
    const size = (await stat(file)).size;
    if (size > MAX_STATE_BYTES) throw new RoutingStateError(`larger than ${MAX_STATE_BYTES} bytes`);
    bytes = new Uint8Array(await readFile(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (err instanceof RoutingStateError) await quarantineFile(file, `routing state: ${err.message}`, log);
    else log.warn({ file, err: String(err) }, 'routing state not readable; starting without it');
    return undefined;
  }
  try {
    return decodeRoutingState(bytes);
  } catch (err) {
    await quarantineFile(file, `routing state: ${err instanceof RoutingStateError ? err.message : String(err)}`, log);
    return undefined;
  }
}

/** Written atomically (temp, fsync, rename): a crash leaves the old state or the new one. */
export async function saveRoutingState(dataDir: string, s: RoutingState): Promise<void> {
  const file = path.join(dataDir, ROUTING_STATE_FILE);
  await mkdir(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(encodeRoutingState(s));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}
