import type { Audience, Priority } from '../../src/core/dtn/index.ts';
import type { TcpclSession } from './tcpcl/index.ts';

/** One live contact with a peer relay. */
export interface Contact {
  session: TcpclSession;
  /** The peer's node ID as its SESS_INIT gave it; RFC 9174 allows an empty one and any URI (ipn:…). */
  peer: string;
  /**
   * Where the peer's summary and contact-sync services are, when its node ID is a `dtn://name/` like
   * ours; undefined for an empty or ipn node ID (such a peer gets a session but no summaries).
   */
  services?: string;
  since: number;
  bundlesIn: number;
  bundlesOut: number;
  /** Bundles the pump took for this peer and the peer has not acknowledged yet. */
  unacked: number;
}

export interface ContactRecord {
  peer: string;
  up: boolean;
  since: number;
  until?: number;
  bundlesIn: number;
  bundlesOut: number;
  changesApplied: number;
}

export interface OriginateOptions {
  destination: string;
  payload: Uint8Array;
  priority: Priority;
  audience: Audience;
  lifetimeMs: number;
}
