import type { IslandAnswer } from '../discovery/client.ts';
import type { DiscoveryQuery } from '../discovery/types.ts';
import type { FetchProgress, FileManifest } from '../library/types.ts';
import { SESSION_PATH } from './session-auth.ts';

/**
 * Every HTTP route a relay serves to phones (and operators), with what goes in and what comes back.
 * Paths are relative to the relay's origin; a phone served by its relay fetches them as they are,
 * tests and other relays prefix the relay's URL. Refusals answer `ErrorBody` with a 4xx/5xx status.
 */
export const Route = {
  /** GET → RelayInfo */
  info: '/api/info',
  /** GET → RelayStatus (for operators and the phone's status bar) */
  status: '/api/status',
  /** GET → {challenge} for a sync session handshake (session-auth.ts) */
  session: SESSION_PATH,
  /** GET signed by the joining key (auth.ts) → OpenCommunity, the hub's community open to newcomers; 404 `invite-needed` when none is */
  openJoin: '/api/open-join',
  /** POST one CBOR envelope → 202 InboxPosted; GET inboxPath(agent) signed → InboxEnvelopes */
  inbox: '/api/inbox',
  /** GET ?community=<id> → Suggestions */
  suggestions: '/api/suggestions',
  /** prefix of feedPreviewPath */
  feeds: '/api/feeds',
  /** POST ?community=<id> one signed alert or follow-up (JSON) → 202 AlertPosted; GET → AlertRecords */
  alerts: '/api/alerts',
  /** GET (signed by a member: trusted files too) → LibraryListing */
  library: '/api/library',
  /** POST a signed FileManifest (JSON) → 201 new / 200 known LibraryEntry */
  libraryManifests: '/api/library/manifests',
  /** prefix of libraryChunkPath */
  libraryChunks: '/api/library/chunks',
  /** POST a DiscoveryQuery (JSON) → 202 QueryPosted */
  discoveryQueries: '/api/discovery/queries',
  /** POST a signed CarryTakeRequest (CBOR) by a member → CarryTakeAnswer (CBOR): bundles for other islands (carry.ts) */
  carryTake: '/api/carry/take',
  /** POST signed CarryHandIn (CBOR) by a member → CarryHandInAnswer (JSON): which bundles were taken, which refused */
  carryHandIn: '/api/carry/hand-in',
  /** GET → the community CA certificate the relay's HTTPS chain ends in (DER, application/x-x509-ca-cert); 404 when it has none */
  caCert: '/ca.crt',
  /** GET → the same certificate as PEM (application/x-pem-file) */
  caPem: '/ca.pem',
  /** GET → the page that tells a person how to trust the community CA (HTML, English or Spanish); also on plain HTTP (relay --install-port) */
  install: '/install',
  /** WebSocket upgrade: automerge-repo sync */
  sync: '/sync',
} as const;

/** The name of a route in the table: what a relay service keys its handlers by (relay/service.ts). */
export type RouteName = keyof typeof Route;

const under = (base: string, tail: string): string => `${base}/${encodeURIComponent(tail)}`;

/** GET: the envelopes waiting for one agent (signed by that agent, see auth.ts). */
export const inboxPath = (agentId: string): string => under(Route.inbox, agentId);
/** GET: the newest public posts of one member feed the relay follows → FeedPreview; 404 when it has none. */
export const feedPreviewPath = (documentId: string): string => under(Route.feeds, documentId);
/** GET: one library file's manifest and progress. */
export const libraryManifestPath = (fileId: string): string => under(Route.libraryManifests, fileId);
/** PUT: a chunk's bytes → 201/200 ChunkStored; GET: the bytes (application/octet-stream), 404 when not held. */
export const libraryChunkPath = (hash: string): string => under(Route.libraryChunks, hash);
/** GET: answers so far for a query → QueryAnswers; 404 once forgotten. */
export const discoveryQueryPath = (queryId: string): string => under(Route.discoveryQueries, queryId);
/** The ?community= routes (alerts, suggestions). */
export const withCommunity = (route: string, communityId: string): string => `${route}?community=${encodeURIComponent(communityId)}`;

/**
 * The tail after `base/` in `path` (URL-decoded), or undefined when `path` is not under it. A tail
 * that is not valid percent-encoding is returned raw: the handler then refuses it as an unknown id.
 */
export function tailOf(path: string, base: string): string | undefined {
  const prefix = `${base}/`;
  if (!path.startsWith(prefix)) return undefined;
  const raw = path.slice(prefix.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export interface ErrorBody {
  error: string;
  code?: string;
}

export interface ServedCommunityInfo {
  /** empty until a joined community's doc has arrived */
  id: string;
  name: string;
  /** The community's URL is its invite: shown only while nobody has joined it, or on an open island. */
  url?: string;
  /** Author of the community's founding record, as this relay pinned it (a phone may pin it too). */
  founder?: string;
  /** Digest of the founder's retirement this relay holds to (model/retirement.ts; a phone may pin it too). */
  retirement?: string;
  /** Nobody has joined yet: the first person needs the invite the relay printed for its operator. */
  awaitingOrganiser?: boolean;
  /**
   * A newcomer without an invite may join it here (its organisers turned open join on and the hub lets
   * them, or the hub is open to anyone): the phone asks Route.openJoin for its URL, which this answer,
   * read by anyone who asks, does not carry.
   */
  openJoin?: boolean;
}

/** The community a hub takes newcomers into without an invite (Route.openJoin). */
export interface OpenCommunity {
  url: string;
  name: string;
  founder?: string;
  retirement?: string;
}

export interface RelayInfo {
  app: 'solarpunk-mesh';
  node: string;
  tcpclPort: number;
  /** This relay's ed25519 key: what a community's steward-signed relays list names it by. */
  relay: string;
  communities: ServedCommunityInfo[];
  secure: boolean;
  /** Who may sync here without an invite: as each community's organisers signed, nobody, or anyone (relay --join-policy). */
  joinPolicy?: 'community' | 'invite' | 'open';
}

/** The part of /api/status a phone reads; operators see much more (README). */
export interface RelayStatus {
  unsaved: number;
  phones: number;
  dtn?: { lastContact?: { peer: string; since: number; until?: number; up: boolean; changesApplied: number } | null };
  [subsystem: string]: unknown;
}

export interface InboxPosted {
  id: string;
}

export interface InboxEnvelopes {
  /** base64url CBOR envelopes */
  envelopes: string[];
}

export interface AlertPosted {
  id: string;
}

export interface AlertRecords {
  records: unknown[];
}

/** Posts in a FeedPreview at most: a first screenful. */
export const FEED_PREVIEW_POSTS = 50;
/** A preview body larger than this is not read (50 signed posts are a few tens of KB). */
export const FEED_PREVIEW_MAX_BYTES = 256 * 1024;

/**
 * A first screenful of one feed while its whole doc is still on its way: the newest public, open posts
 * exactly as their author signed them, newest first. Only a preview: the phone checks every signature
 * and author, shows them until the feed itself is read, then shows what the feed proves.
 */
export interface FeedPreview {
  feed: string;
  intents: unknown[];
}

export interface Suggestions {
  community: string;
  at: number | null;
  proposals: unknown[];
}

export interface LibraryEntry {
  manifest: FileManifest;
  progress: FetchProgress;
  missing: number[];
}

export interface LibraryListing {
  files: Array<{ manifest: unknown; progress: FetchProgress }>;
}

export interface ChunkStored {
  stored: boolean;
}

export interface QueryPosted {
  id: string;
  expires: number;
}

export interface QueryAnswers {
  query: DiscoveryQuery;
  answers: IslandAnswer[];
}
