import { isGroupEid, nodeIdOf } from '../../../src/core/dtn/index.ts';
import { agentOfInbox } from '../../../src/core/protocol/endpoints.ts';

/**
 * A bundle's destination as the spray-and-wait and PRoPHET routers see it: the endpoint a node serves
 * (`dtn://island-a/` for its own services, `dtn://community-x/` for a community's change-sets), and
 * whether more than one node takes delivery. A destination that does not parse (the store only holds
 * bundles that decoded, so this is defensive) is its own key and counted as a group, so a router
 * never drops its copy of it after one hand-over.
 */
export function endpointKey(destination: string): string {
  try {
    return nodeIdOf(destination);
  } catch {
    return destination;
  }
}

export function isGroupDestination(destination: string): boolean {
  try {
    return isGroupEid(destination);
  } catch {
    return true;
  }
}

/**
 * Announced in `serves` by a node that takes delivery of every person's inbox: a relay keeps sealed
 * messages for whoever reads them on its island (relay/inbox.ts), so a message has no one node to
 * reach and must still travel between relays under spray-and-wait and PRoPHET as it does epidemically.
 */
export const EVERY_INBOX = 'dtn://*/~inbox';

/**
 * Whether a peer takes delivery of a destination: a single-node destination only when it is the
 * peer's own node ID (a peer announcing someone else's node would otherwise be handed their bundles,
 * and single-copy hand-overs drop ours), a group when the peer announced serving it (or every inbox).
 */
export function deliversTo(peerNodeId: string, announcedServes: ReadonlySet<string>, destination: string): boolean {
  const key = endpointKey(destination);
  if (!isGroupDestination(destination)) return key === peerNodeId;
  return announcedServes.has(key) || (announcedServes.has(EVERY_INBOX) && agentOfInbox(destination) !== undefined);
}
