import type { Repo } from '@automerge/automerge-repo/slim';
import type { AsyncSignatureCheck } from '../core/crypto/sign.ts';
import type { Identity } from '../core/crypto/keys.ts';
import type { Alert } from '../core/alerts/index.ts';
import type { RunReport } from '../../agents/index.ts';
import type { AgentInput, AgentName } from '../../agents/types.ts';

/**
 * What the phone's logic needs from its surroundings. The browser implementations live in src/platform
 * and are put together in src/app/client.ts; Node code passes its own (a Repo on a socket, Node's fetch).
 */

/** The island's relay over HTTP: `fetch(base + '/api/…')`. The PWA's base is '' (same origin). */
export interface RelayHttp {
  base: string;
  fetch: typeof fetch;
  /** How long to wait for one answer (relay-deadline.ts; RELAY_ANSWER_MS unless a test shortens it). */
  answerWithinMs?: number;
}

/** A message from the hub the phone did not hand to Automerge, and why (src/core/sync/sync-changes.ts). */
export interface HubRefusal {
  documentId: string;
  reason: 'too-many-ops' | 'unreadable';
}

/** A started repo and the events of its link to the relay. */
export interface SyncLink {
  repo: Repo;
  /** A relay peer appeared (connected, or reconnected). */
  onPeer(fn: () => void): void;
  onDisconnect(fn: () => void): void;
  /** The hub sent something the phone would not take in. */
  onRefused(fn: (refusal: HubRefusal) => void): void;
}

/** Who a sync session is signed for: my key and the communities I belong to (or am joining). */
export interface SyncCredentials {
  identity: Identity;
  communityUrls: string[];
  /** The secret of the invite link a joining phone holds, by community URL (proved, never sent). */
  inviteSecrets?: Record<string, string>;
}

/**
 * Starts the repo, its storage sealed under the data key. `credentials` is read at every connection: a
 * phone that is only now joining has them a moment after the repo starts.
 */
export type OpenRepo = (dataKey: Uint8Array, credentials: () => SyncCredentials | undefined) => Promise<SyncLink>;

/** The agents' input as plain data (it may cross to a worker), and which agents run. */
export interface AgentJobInput {
  input: Omit<AgentInput, 'canSee' | 'declined'> & { declined: string[]; seeTrusted: boolean };
  enabled: AgentName[];
}

export type AgentsRunner = (job: AgentJobInput) => Promise<RunReport>;

/** The page itself: reloading drops every key from memory; the docs database can be deleted. */
export interface PageControl {
  reload(): void;
  /** Marks that a wipe must finish on the next load (before anything opens a database), then reloads. */
  reloadIntoWipe(): void;
  /** Deletes the automerge docs database (the decoy after a duress PIN has none). */
  deleteDocs(): Promise<void>;
  /** Resolves once the current view has painted (the first list before Automerge loads). */
  afterPaint(): Promise<void>;
}

/** Signals of the person using the phone and of its network. */
export interface DeviceSignals {
  online(): boolean;
  onOnlineChange(fn: (online: boolean) => void): void;
  /** Any touch, key or scroll: it restarts the idle lock's clock. */
  onActivity(fn: () => void): void;
}

/** Tells the person about a new active alert even when the screen shows something else. */
/** Shows a system notification; a rejection (the platform refused it) is shown to the person, not swallowed. */
export type AlertNotifier = (alert: Alert) => void | Promise<void>;

/** A request ("Ask for it", "I can help") for one of my posts, as a notification tells it. */
export interface RequestNotice {
  proposalId: string;
  postKey: string;
  postTitle: string;
  postKind: 'offer' | 'need';
  fromName: string;
  note: string;
}

/** Shows a system notification for a new request; a rejection is shown to the person, not swallowed. */
export type RequestNotifier = (request: RequestNotice) => void | Promise<void>;

/**
 * A new message from another member, as a notification tells it: who wrote, never what. A phone lying on
 * a table or in someone else's hand shows its lock screen; the text stays in the app, behind its lock.
 */
export interface MessageNotice {
  messageId: string;
  /** The sender's key (one notification per conversation can replace the last). */
  from: string;
  fromName: string;
}

/** Shows a system notification for a new message; a rejection is logged, the unread badge still tells. */
export type MessageNotifier = (message: MessageNotice) => void | Promise<void>;

/** Everything a phone client is built from. */
export interface Platform {
  relay: RelayHttp;
  openRepo: OpenRepo;
  /**
   * Fetches and compiles what opening the repo needs (code, wasm), opening nothing: done while a newcomer
   * answers the first-run questions. It may go on warming the engine while `wanted()` (until the join).
   */
  prepareRepo?: (wanted: () => boolean) => Promise<void>;
  runAgents: AgentsRunner;
  page: PageControl;
  device: DeviceSignals;
  notify: AlertNotifier;
  /** New requests for my posts (none: the badge alone tells). */
  notifyRequest?: RequestNotifier;
  /** New messages from other members (none: the unread badge alone tells). */
  notifyMessage?: MessageNotifier;
  /** A faster signature check than tweetnacl, when the platform has one. */
  signatureCheck(): Promise<AsyncSignatureCheck | undefined>;
}
