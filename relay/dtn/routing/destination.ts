import { isGroupEid, nodeIdOf } from '../../../src/core/dtn/index.ts';

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
 * Whether a peer takes delivery of a destination: a single-node destination only when it is the
 * peer's own node ID (a peer announcing someone else's node would otherwise be handed their bundles,
 * and single-copy hand-overs drop ours), a group when the peer announced serving it.
 */
export function deliversTo(peerNodeId: string, announcedServes: ReadonlySet<string>, destination: string): boolean {
  const key = endpointKey(destination);
  return isGroupDestination(destination) ? announcedServes.has(key) : key === peerNodeId;
}
