import type { Priority } from './store/index.ts';

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

const ALERTS = /^dtn:\/\/~[A-Za-z0-9_-]{1,64}\/alerts$/;
const LIBRARY = /^dtn:\/\/~library\//;

/** The most urgent priority the project gives a bundle for `destination` (0 = emergency). */
export function highestPriorityFor(destination: string): Priority {
  if (ALERTS.test(destination)) return 0; // signed alerts: the alerts layer drops unsigned ones on delivery
  if (LIBRARY.test(destination)) return 3; // bulk files and manifests
  return 2; // change-sets, sealed messages, discovery: normal
}

/** The priority this relay keeps a received bundle at: its declared one, but never above its kind's. */
export function capPriority(declared: Priority, destination: string): Priority {
  return Math.max(declared, highestPriorityFor(destination)) as Priority;
}

/** When a received bundle expires here: its declared expiry, but no later than the cap from now. */
export function capExpiry(declaredExpiresAt: number, now: number): number {
  return Math.min(declaredExpiresAt, now + MAX_RECEIVED_LIFETIME_MS);
}
