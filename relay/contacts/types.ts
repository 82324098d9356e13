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
