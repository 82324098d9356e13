/**
 * DTN endpoint ids the relays use, built in one place (ARCHITECTURE §6). A node is `dtn://<name>/`;
 * its own services hang off it (`…/routing`, `…/sync`, `…/discovery`); groups a bundle is carried to
 * are `dtn://<group>/~<service>` (community change-sets and alerts, a person's inbox, the library,
 * discovery queries): RFC 9171 §4.2.5.1.1 marks a non-singleton endpoint by a demux starting with
 * '~'. Relays before that wrote `dtn://~<group>/<service>` (a '~' in the node name); bundles in that
 * form are still in stores and on older relays, so every recogniser accepts both and only the RFC
 * form is built.
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

/** `dtn://<group>/~<service>`: a group endpoint in the RFC 9171 form. */
function groupEndpoint(group: string, service: string): string {
  return `dtn://${group}/~${service}`;
}

/** Matches a group endpoint in either form; the group is capture 1 or 2. */
function groupPattern(group: string, service: string): RegExp {
  return new RegExp(`^dtn://(?:${group}/~${service}|~${group}/${service})$`);
}

function groupOf(re: RegExp, eid: string): string | undefined {
  const m = re.exec(eid);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The group endpoint a community's change-sets travel to. */
export function changesEndpoint(communityId: string): string {
  return groupEndpoint(communityId, 'changes');
}

const CHANGES_RE = groupPattern(GROUP, 'changes');

/** The community a change-set bundle is for, or undefined when `eid` is not a change-set endpoint. */
export function communityOfChanges(eid: string): string | undefined {
  return groupOf(CHANGES_RE, eid);
}

/** The group endpoint the alerts of a community travel to. */
export function alertEndpoint(communityId: string): string {
  return groupEndpoint(communityId, 'alerts');
}

const ALERTS_RE = groupPattern(GROUP, 'alerts');

/** The community an alert bundle is for, or undefined when `eid` is not an alerts endpoint. */
export function communityOfAlerts(eid: string): string | undefined {
  return groupOf(ALERTS_RE, eid);
}

/** The DTN endpoint a sealed message for `agentId` is sent to. */
export function inboxEndpoint(agentId: string): string {
  return groupEndpoint(agentId, 'inbox');
}

const INBOX_RE = groupPattern('([A-Za-z0-9_-]{43})', 'inbox');

/** The agent an inbox bundle is for, or undefined when `eid` is not an inbox endpoint. */
export function agentOfInbox(eid: string): string | undefined {
  return groupOf(INBOX_RE, eid);
}

/** Every relay answers discovery queries sent here. */
export const DISCOVERY_QUERY_ENDPOINT = groupEndpoint('discovery', 'query');
const LEGACY_DISCOVERY_QUERY_ENDPOINT = 'dtn://~discovery/query';

/** True for a discovery query endpoint in either form. */
export function isDiscoveryQuery(eid: string): boolean {
  return eid === DISCOVERY_QUERY_ENDPOINT || eid === LEGACY_DISCOVERY_QUERY_ENDPOINT;
}

/** Library file manifests travel to every relay. */
export const LIBRARY_MANIFEST_ENDPOINT = groupEndpoint('library', 'manifest');
const LEGACY_LIBRARY_MANIFEST_ENDPOINT = 'dtn://~library/manifest';

/** True for the library manifest endpoint in either form. */
export function isLibraryManifest(eid: string): boolean {
  return eid === LIBRARY_MANIFEST_ENDPOINT || eid === LEGACY_LIBRARY_MANIFEST_ENDPOINT;
}

const LIBRARY_CHUNK_PREFIX = 'dtn://library/~chunk/';
const LEGACY_LIBRARY_CHUNK_PREFIX = 'dtn://~library/chunk/';

/** One bundle per distinct library chunk, named by its hash. */
export function libraryChunkEndpoint(hash: string): string {
  return `${LIBRARY_CHUNK_PREFIX}${hash}`;
}

/** The chunk hash a library-chunk bundle carries, or undefined when `eid` is not a chunk endpoint. */
export function chunkOfEndpoint(eid: string): string | undefined {
  for (const prefix of [LIBRARY_CHUNK_PREFIX, LEGACY_LIBRARY_CHUNK_PREFIX]) if (eid.startsWith(prefix)) return eid.slice(prefix.length);
  return undefined;
}
