import { communityOfAlerts, LIBRARY_MANIFEST_ENDPOINT } from '../../src/core/protocol/endpoints.ts';
import { PAYLOAD_PRIORITY, Priority } from '../../src/core/protocol/priority.ts';

/**
 * What a neighbour may claim for a bundle it hands us. Priority and lifetime are declared by whoever
 * built the bundle, so an anonymous TCPCL peer could mark a flood "emergency, ten years" and have it
 * outrank and outlive everything an island holds. Received bundles are therefore kept here at no more
 * than the priority this project itself gives their kind, lower still when the hop that brought them
 * proved nothing about itself, and for no longer than MAX_RECEIVED_LIFETIME_MS. The bundle's bytes are
 * not rewritten (that would break its CRCs and signatures); only how this relay stores, evicts and sends
 * it changes, and the next relay applies the same caps.
 */

/** Longer than any lifetime the project gives (a week), short enough that a flood ages out. */
export const MAX_RECEIVED_LIFETIME_MS = 30 * 24 * 3600e3;

/** Library chunks and manifests (chunk endpoints are `dtn://~library/chunk/<hash>`). */
const LIBRARY_PREFIX = 'dtn://~library/';

/** What this relay knows of a received bundle beyond its bytes. */
export interface Provenance {
  /**
   * The hop that handed it over proved who it is: one of our communities' relays over TLS (peer-trust.ts)
   * or a member's phone carrying it (carry.ts). Anything else is anonymous: kept as opaque bulk.
   */
  authenticated: boolean;
  /**
   * Its payload is an alert record validly signed by someone the community lets raise (or answer)
   * alerts, as this relay judges it (core/alerts/emergency.ts). False when the relay cannot judge.
   */
  alertFromRaiser: boolean;
}

/** Nothing proven: what a bundle is judged as unless shown otherwise. */
export const ANONYMOUS: Provenance = { authenticated: false, alertFromRaiser: false };

/** The most urgent priority this relay keeps a bundle for `destination` at (0 = emergency). */
export function highestPriorityFor(destination: string, from: Provenance = ANONYMOUS): Priority {
  // An anonymous hop's bundles are opaque bulk whatever they claim: their claims cost nothing to make.
  if (!from.authenticated) return Priority.Low;
  // Emergency is earned by the record, not by the address: junk to an alerts endpoint is carried as normal.
  if (communityOfAlerts(destination) !== undefined) return from.alertFromRaiser ? PAYLOAD_PRIORITY.alert : Priority.Normal;
  if (destination === LIBRARY_MANIFEST_ENDPOINT || destination.startsWith(LIBRARY_PREFIX)) return PAYLOAD_PRIORITY.library;
  // Change-sets, sealed messages, discovery: normal, and so is anything the project does not send.
  return PAYLOAD_PRIORITY['change-set'];
}

/** The priority this relay keeps a received bundle at: its declared one, but never above what it may have. */
export function capPriority(declared: Priority, destination: string, from: Provenance = ANONYMOUS): Priority {
  return Math.max(declared, highestPriorityFor(destination, from)) as Priority;
}

/** When a received bundle expires here: its declared expiry, but no later than the cap from now. */
export function capExpiry(declaredExpiresAt: number, now: number): number {
  return Math.min(declaredExpiresAt, now + MAX_RECEIVED_LIFETIME_MS);
}
