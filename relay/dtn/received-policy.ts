import { communityOfAlerts, LIBRARY_MANIFEST_ENDPOINT } from '../../src/core/protocol/endpoints.ts';
import { PAYLOAD_PRIORITY, type Priority } from '../../src/core/protocol/priority.ts';

/**
 * What a neighbour may claim for a bundle it hands us. Priority and lifetime are declared by whoever
 * built the bundle, so an anonymous TCPCL peer could mark a flood "emergency, ten years" and have it
 * outrank and outlive everything an island holds. Received bundles are therefore kept here at no more
 * than the priority this project itself gives their kind, and for no longer than MAX_RECEIVED_LIFETIME_MS.
 * The bundle's bytes are not rewritten (that would break its CRCs and signatures); only how this relay
 * stores, evicts and sends it changes, and the next relay applies the same caps.
 */

/** Longer than any lifetime the project gives (a week), short enough that a flood ages out. */
export const MAX_RECEIVED_LIFETIME_MS = 30 * 24 * 3600e3;

/** Library chunks and manifests (chunk endpoints are `dtn://~library/chunk/<hash>`). */
const LIBRARY_PREFIX = 'dtn://~library/';

/** The most urgent priority the project gives a bundle for `destination` (0 = emergency). */
export function highestPriorityFor(destination: string): Priority {
  // Signed alerts only: the alerts layer drops unsigned ones on delivery.
  if (communityOfAlerts(destination) !== undefined) return PAYLOAD_PRIORITY.alert;
  if (destination === LIBRARY_MANIFEST_ENDPOINT || destination.startsWith(LIBRARY_PREFIX)) return PAYLOAD_PRIORITY.library;
  // Change-sets, sealed messages, discovery: normal, and so is anything the project does not send.
  return PAYLOAD_PRIORITY['change-set'];
}

/** The priority this relay keeps a received bundle at: its declared one, but never above its kind's. */
export function capPriority(declared: Priority, destination: string): Priority {
  return Math.max(declared, highestPriorityFor(destination)) as Priority;
}

/** When a received bundle expires here: its declared expiry, but no later than the cap from now. */
export function capExpiry(declaredExpiresAt: number, now: number): number {
  return Math.min(declaredExpiresAt, now + MAX_RECEIVED_LIFETIME_MS);
}
