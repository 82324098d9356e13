/**
 * DTN endpoint ids the relays use, built in one place (ARCHITECTURE §6). A node is `dtn://<name>/`;
 * its own services hang off it (`…/routing`, `…/sync`, `…/discovery`); groups a bundle is carried to
 * are `dtn://~<group>/<service>` (community change-sets and alerts, a person's inbox, the library,
 * discovery queries).
 */

/** Node names, community ids and agent ids as they may appear in an endpoint. */
const GROUP = '([A-Za-z0-9_-]{1,64})';

/** This relay's node id, e.g. `dtn://island-a/`. */
export function nodeEndpoint(nodeName: string): string {
  return `dtn://${nodeName}/`;
}

/** A node's summary-vector endpoint (epidemic routing: "these are the bundles I hold"). */
export function routingEndpoint(nodeId: string): string {
  return `${nodeId}routing`;
}

/** A node's automerge-sync endpoint for documents two relays share during a contact. */
export function syncEndpoint(nodeId: string): string {
  return `${nodeId}sync`;
}

/** Where answers to a discovery query go: the node that asked. */
export function discoveryAnswerEndpoint(nodeId: string): string {
  return `${nodeId}discovery`;
}

/** The group endpoint a community's change-sets travel to. */
export function changesEndpoint(communityId: string): string {
  return `dtn://~${communityId}/changes`;
}

const CHANGES_RE = new RegExp(`^dtn://~${GROUP}/changes$`);

/** The community a change-set bundle is for, or undefined when `eid` is not a change-set endpoint. */
export function communityOfChanges(eid: string): string | undefined {
  return CHANGES_RE.exec(eid)?.[1];
}

/** The group endpoint the alerts of a community travel to. */
export function alertEndpoint(communityId: string): string {
  return `dtn://~${communityId}/alerts`;
}

const ALERTS_RE = new RegExp(`^dtn://~${GROUP}/alerts$`);

/** The community an alert bundle is for, or undefined when `eid` is not an alerts endpoint. */
export function communityOfAlerts(eid: string): string | undefined {
  return ALERTS_RE.exec(eid)?.[1];
}

/** The DTN endpoint a sealed message for `agentId` is sent to. */
export function inboxEndpoint(agentId: string): string {
  return `dtn://~${agentId}/inbox`;
}

const INBOX_RE = /^dtn:\/\/~([A-Za-z0-9_-]{43})\/inbox$/;

/** The agent an inbox bundle is for, or undefined when `eid` is not an inbox endpoint. */
export function agentOfInbox(eid: string): string | undefined {
  return INBOX_RE.exec(eid)?.[1];
}

/** Every relay answers discovery queries sent here. */
export const DISCOVERY_QUERY_ENDPOINT = 'dtn://~discovery/query';

/** Library file manifests travel to every relay. */
export const LIBRARY_MANIFEST_ENDPOINT = 'dtn://~library/manifest';

const LIBRARY_CHUNK_PREFIX = 'dtn://~library/chunk/';

/** One bundle per distinct library chunk, named by its hash. */
export function libraryChunkEndpoint(hash: string): string {
  return `${LIBRARY_CHUNK_PREFIX}${hash}`;
}

/** The chunk hash a library-chunk bundle carries, or undefined when `eid` is not a chunk endpoint. */
export function chunkOfEndpoint(eid: string): string | undefined {
  return eid.startsWith(LIBRARY_CHUNK_PREFIX) ? eid.slice(LIBRARY_CHUNK_PREFIX.length) : undefined;
}
