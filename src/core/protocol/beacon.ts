import { decode, encode } from 'cbor2';

/**
 * The relay beacon: a small CBOR map a relay broadcasts on its LAN or mesh every few seconds so that
 * neighbouring relays (and the native bridge) learn its DTN node id, TCPCL port and mesh MAC.
 */

/** UDP port beacons are sent to and listened for. */
export const DEFAULT_BEACON_PORT = 4557;
export const DEFAULT_BEACON_INTERVAL_MS = 5000;
/** A node unheard for this many intervals is gone. */
export const BEACON_MISSES_BEFORE_DOWN = 3;

/** Beacons are tiny; anything larger is not ours and is dropped before decoding. */
export const MAX_BEACON_BYTES = 512;

export interface Beacon {
  v: 1;
  /** DTN node id of the sending relay, e.g. `dtn://relay-b/`. */
  node: string;
  /** TCPCL listening port of the sending relay. */
  port: number;
  /** batman-adv originator address of the sender (MAC of its primary hard interface). */
  mac?: string;
  island?: string;
}

export type BeaconErrorReason = 'oversized' | 'not-cbor' | 'not-a-map' | 'bad-version' | 'bad-field';

export class BeaconDecodeError extends Error {
  override name = 'BeaconDecodeError';
  constructor(readonly reason: BeaconErrorReason, detail: string) {
    super(`${reason}: ${detail}`);
  }
}

const NODE_RE = /^dtn:\/\/[A-Za-z0-9._-]{1,64}\/$/;
const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

export function isNodeId(s: unknown): s is string {
  return typeof s === 'string' && NODE_RE.test(s);
}

export function normalizeMac(s: string): string | undefined {
  const m = s.trim().toLowerCase();
  return MAC_RE.test(m) ? m : undefined;
}

export function encodeBeacon(b: Beacon): Uint8Array {
  const out: Record<string, unknown> = { v: 1, node: b.node, port: b.port };
  if (b.mac !== undefined) out.mac = b.mac;
  if (b.island !== undefined) out.island = b.island;
  const bytes = encode(out);
  if (bytes.length > MAX_BEACON_BYTES) throw new BeaconDecodeError('oversized', `${bytes.length} bytes`);
  return bytes;
}

/** Strict and total: any datagram yields a Beacon or a BeaconDecodeError, never another throw. */
export function decodeBeacon(bytes: Uint8Array): Beacon {
  if (bytes.length > MAX_BEACON_BYTES) throw new BeaconDecodeError('oversized', `${bytes.length} bytes`);
  let raw: unknown;
  try {
    raw = decode(bytes, { rejectDuplicateKeys: true });
  } catch (e) {
    throw new BeaconDecodeError('not-cbor', (e as Error).message);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Map || ArrayBuffer.isView(raw)) {
    throw new BeaconDecodeError('not-a-map', typeof raw);
  }
  return validate(raw as Record<string, unknown>);
}

function validate(r: Record<string, unknown>): Beacon {
  if (r.v !== 1) throw new BeaconDecodeError('bad-version', String(r.v));
  if (!isNodeId(r.node)) throw new BeaconDecodeError('bad-field', 'node');
  const port = r.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new BeaconDecodeError('bad-field', 'port');
  }
  const b: Beacon = { v: 1, node: r.node, port };
  if (r.mac !== undefined) {
    const mac = typeof r.mac === 'string' ? normalizeMac(r.mac) : undefined;
    if (mac === undefined) throw new BeaconDecodeError('bad-field', 'mac');
    b.mac = mac;
  }
  if (r.island !== undefined) {
    if (typeof r.island !== 'string' || r.island.length > 64) throw new BeaconDecodeError('bad-field', 'island');
    b.island = r.island;
  }
  return b;
}
