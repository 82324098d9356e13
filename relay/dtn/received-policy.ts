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
  /**
   * Its payload is a real, signed, current alert whose author this relay cannot judge (it does not serve
   * the community, or the author's entry has not arrived): carried ahead of change-sets, not at emergency.
   */
  alertUnjudged?: boolean;
}

/** Nothing proven: what a bundle is judged as unless shown otherwise. */
export const ANONYMOUS: Provenance = { authenticated: false, alertFromRaiser: false };

/** The most urgent priority this relay keeps a bundle for `destination` at (0 = emergency). */
export function highestPriorityFor(destination: string, from: Provenance = ANONYMOUS): Priority {
  const alerts = communityOfAlerts(destination) !== undefined;
  // Emergency is earned by the record, not by the address or the hop: an alert signed by a member allowed
  // to raise one is emergency whoever carried it (a stranger cannot sign one).
  if (alerts && from.alertFromRaiser) return PAYLOAD_PRIORITY.alert;
  // A real alert nobody here can judge yet (a bridge that serves no community; an island the raiser's
  // entry has not reached) still goes before change-sets: alerts must not wait behind an island's history.
  // A stranger's fresh-key alerts get no further than this, and from an anonymous hop leave the store first.
  if (alerts && from.alertUnjudged) return Priority.Perishable;
  // An anonymous hop's other bundles are opaque bulk whatever they claim: their claims cost nothing to make.
  if (!from.authenticated) return Priority.Low;
  // Junk to an alerts endpoint from a known hop is carried as normal.
  if (alerts) return Priority.Normal;
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
