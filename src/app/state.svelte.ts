import type { Intent } from '../core/model/types.ts';
import type { Conversation } from '../core/messaging/index.ts';
import type { TrustView } from '../client/trust-book.ts';
import type { Commitment, Decline, EconomicEvent, Proposal } from '../core/model/types.ts';
import type { RequestRow, RequestsState } from '../client/requests.ts';
import type { AgentName, AgentProposal } from '../../agents/types.ts';
import type { DecisionState } from '../../agents/governance-records.ts';
import type { VouchNote } from '../core/trust/vouch-note.ts';
import type { ShownAlert } from '../core/alerts/index.ts';
import type { SanctuaryView } from '../client/sanctuary.ts';
import type { Phase } from '../client/session.ts';
import type { CarryState } from '../client/carry.ts';
import type { CommunitySettings } from '../core/model/community-settings.ts';

export type { Phase } from '../client/session.ts';

/**
 * Everything the screens render. The phone's modules (src/client) own this data; src/app/client.ts mirrors
 * each module's state into these fields, and only it writes them — except `notice`, `installable` and `installPrompt`,
 * which belong to the page itself.
 */
class AppState {
  phase = $state<Phase>('loading');
  me = $state<{ agentId: string; name: string } | null>(null);
  communityName = $state('');
  invite = $state('');
  categories = $state.raw<Array<{ id: string; name: string }>>([]);
  areas = $state.raw<Array<{ id: string; name: string }>>([]);
  members = $state.raw<Record<string, string>>({});
  /** The community's signed settings in full, and its organisers (signed stewards). */
  communitySettings = $state.raw<CommunitySettings | null>(null);
  stewards = $state.raw<string[]>([]);
  intents = $state.raw<Intent[]>([]);
  totalMatches = $state(0);
  /** The list's first page is shown and its count is on its way. */
  counting = $state(false);
  docsLoaded = $state(false);
  rejected = $state(0);
  /** A big feed being taken in: posts checked so far, of how many (the Browse screen's progress line). */
  intake = $state<{ done: number; total: number } | null>(null);
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  relayConnected = $state(false);
  pending = $state(0);
  /** Messages from the hub this phone left out this session: too many changes at once to be safe. */
  hubRefused = $state(0);
  /** The relay's last contact with another relay (a bridge): when, and how many changes it brought. */
  lastBridge = $state<{ peer: string; at: number; up: boolean; changes: number } | null>(null);
  /** My standing, gates and the people I trust; null until first computed (then cached across starts). */
  trust = $state.raw<TrustView | null>(null);
  conversations = $state.raw<Conversation[]>([]);
  unread = $state(0);
  // Rapid response and sanctuary (issue 8).
  /** The alert board as I may see it (empty when my gate is closed). */
  alerts = $state.raw<ShownAlert[]>([]);
  /** Alert records raised or answered here that no relay has taken yet. */
  alertOutbox = $state(0);
  /** Those records wait for the members' key (alerts leave the phone sealed to it). */
  alertWaitingForKey = $state(false);
  alertsIgnored = $state(0);
  /** i18n key: the last system notification could not be shown (src/client/alerts.ts). */
  notifyError = $state<string | null>(null);
  /** Sanctuary entries I can open, keys I hold, and what a steward's phone has to do; null before the doc. */
  sanctuary = $state.raw<SanctuaryView | null>(null);
  /** Messages sealed here that no relay has taken yet. */
  outboxCount = $state(0);
  /** Their ids: a conversation marks my messages still on this phone. */
  messagesWaiting = $state.raw<string[]>([]);
  /** Envelopes refused, by reason (tampered, wrong-recipient, bad-signature, …); never shown as messages. */
  messageRejects = $state.raw<Record<string, number>>({});
  /** How the data key is kept: a PIN, a device key (no PIN), or nothing yet. */
  lockKind = $state<'none' | 'pin' | 'device'>('none');
  idleMinutes = $state(5);
  deadManHours = $state<number | null>(null);
  /** Opt-in: wipe after this many wrong PINs in a row (0: never). */
  wipeAfterWrong = $state(0);
  /** Opt-in: a long press on the status line starts a wipe (with a countdown to undo). */
  panicGesture = $state(false);
  /** After the duress PIN: a decoy that shows only public posts. Never shown on screen. */
  decoy = $state(false);
  /** Verified proposals, commitments and hand-overs from every feed. */
  agreements = $state.raw<{ proposals: Proposal[]; commitments: Commitment[]; events: EconomicEvent[]; declines: Decline[] }>({ proposals: [], commitments: [], events: [], declines: [] });
  /** Requests for my posts waiting for my answer: the count the nav shows (src/client/requests.ts). */
  requestsForMe = $state(0);
  requests = $state.raw<RequestRow[]>([]);
  /** Every post of mine with where it stands ("My posts"). */
  myPosts = $state.raw<RequestsState['myPosts']>([]);
  requestNotifyError = $state<string | null>(null);
  // Carrying bundles for other communities (src/client/carry.ts).
  carryEnabled = $state(true);
  carryLimitMb = $state(50);
  carrying = $state.raw<CarryState['carrying']>({ message: 0, change: 0, alert: 0, other: 0, bytes: 0 });
  carryDelivered = $state.raw<CarryState['carryDelivered']>({ message: 0, change: 0, alert: 0, other: 0 });
  carryLast = $state.raw<CarryState['carryLast']>(null);
  suggestions = $state.raw<AgentProposal[]>([]);
  /** Where each community decision stands (drafts, rounds, answers, outcomes). */
  decisions = $state.raw<DecisionState[]>([]);
  /** Vouch notes this phone opened (by author/vouch id), and notes of mine waiting on the phone for the members' key. */
  vouchNotes = $state.raw<Record<string, Pick<VouchNote, 'author' | 'to' | 'note'>>>({});
  pendingNotes = $state.raw<VouchNote[]>([]);
  /** Whether this phone holds a members' key (sealed notes and decisions are readable). */
  readsSealed = $state(false);
  agentRuns = $state.raw<Array<{ agent: AgentName; ms: number; count: number; error?: string }>>([]);
  agentsEnabled = $state.raw<AgentName[]>([]);
  /** My recent searches of other islands (answers are kept by the relay until they expire). */
  searches = $state.raw<Array<{ id: string; text: string; created: number; expires: number }>>([]);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  installable = $state<'yes' | 'installed' | 'insecure' | 'unknown'>('unknown');
  /** The browser offered to install the app (beforeinstallprompt): an Install button can show its dialog. */
  installPrompt = $state(false);
}

export const app = new AppState();
