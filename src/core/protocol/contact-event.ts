/**
 * The native-bridge → relay contact-event format: one JSON object a line on the relay's Unix socket
 * (`--bridge-socket`), and the shape every contact source (static peers, beacons, batman-adv) emits.
 */

/** Where a peer relay's TCPCL listener can be reached. */
export interface PeerAddress {
  host: string;
  port: number;
}

export type ContactSourceKind = 'static' | 'beacon' | 'batman';

/**
 * A peer became reachable ('up') or was lost ('down'). `peer` is the DTN node id
 * (`dtn://relay-b/`) when known, else `mac:aa:bb:cc:dd:ee:ff` for a mesh node whose relay we have
 * not heard a beacon from yet. `linkQuality` is batman-adv's TQ (0–255) when the source knows it.
 */
export interface ContactEvent {
  kind: 'up' | 'down';
  peer: string;
  address?: PeerAddress;
  source: ContactSourceKind;
  linkQuality?: number;
  at: number;
}

export interface ContactSource {
  start(): Promise<void>;
  stop(): Promise<void>;
  on(ev: 'contact', fn: (e: ContactEvent) => void): void;
}

/** Small logger surface (pino-compatible) so contact sources need not depend on a logger. */
export interface ContactLogger {
  warn(obj: object, msg?: string): void;
  info?(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

export const silentLogger: ContactLogger = { warn() {} };

export const MAX_CONTACT_LINE = 4096;

export class ContactEventError extends Error {
  override name = 'ContactEventError';
}

const PEER_RE = /^(dtn:\/\/[A-Za-z0-9._-]{1,64}\/|mac:[0-9a-f]{2}(:[0-9a-f]{2}){5})$/;
const SOURCES = new Set(['static', 'beacon', 'batman']);

/** Validates one JSON line from the bridge socket; the bridge is local but still not trusted blindly. */
export function parseContactEvent(line: string): ContactEvent {
  if (line.length > MAX_CONTACT_LINE) throw new ContactEventError('line too long');
  let r: unknown;
  try {
    r = JSON.parse(line);
  } catch {
    throw new ContactEventError('not JSON');
  }
  if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new ContactEventError('not an object');
  const o = r as Record<string, unknown>;
  if (o.kind !== 'up' && o.kind !== 'down') throw new ContactEventError('bad kind');
  if (typeof o.peer !== 'string' || !PEER_RE.test(o.peer)) throw new ContactEventError('bad peer');
  if (typeof o.source !== 'string' || !SOURCES.has(o.source)) throw new ContactEventError('bad source');
  if (typeof o.at !== 'number' || !Number.isFinite(o.at)) throw new ContactEventError('bad at');
  const e: ContactEvent = { kind: o.kind, peer: o.peer, source: o.source as ContactEvent['source'], at: o.at };
  if (o.address !== undefined) e.address = address(o.address);
  if (o.linkQuality !== undefined) {
    if (typeof o.linkQuality !== 'number' || !Number.isFinite(o.linkQuality)) throw new ContactEventError('bad linkQuality');
    e.linkQuality = o.linkQuality;
  }
  return e;
}

function address(a: unknown): { host: string; port: number } {
  const r = a as Record<string, unknown> | null;
  if (!r || typeof r !== 'object' || typeof r.host !== 'string' || r.host.length === 0 || r.host.length > 255) {
    throw new ContactEventError('bad address');
  }
  if (typeof r.port !== 'number' || !Number.isInteger(r.port) || r.port < 1 || r.port > 65535) throw new ContactEventError('bad port');
  return { host: r.host, port: r.port };
}
