import type { Intent } from '../core/model/types.ts';
import type { Conversation } from '../core/messaging/index.ts';
import type { TrustView } from './trust-book.ts';

export type Phase = 'loading' | 'welcome' | 'ready' | 'error';

/** Everything the screens render. Written only by the controller. */
class AppState {
  phase = $state<Phase>('loading');
  me = $state<{ agentId: string; name: string } | null>(null);
  communityName = $state('');
  invite = $state('');
  categories = $state.raw<Array<{ id: string; name: string }>>([]);
  areas = $state.raw<Array<{ id: string; name: string }>>([]);
  members = $state.raw<Record<string, string>>({});
  intents = $state.raw<Intent[]>([]);
  totalMatches = $state(0);
  docsLoaded = $state(false);
  rejected = $state(0);
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  relayConnected = $state(false);
  pending = $state(0);
  /** The relay's last contact with another relay (a bridge): when, and how many changes it brought. */
  lastBridge = $state<{ peer: string; at: number; up: boolean; changes: number } | null>(null);
  /** My standing, gates and the people I trust; null until first computed (then cached across starts). */
  trust = $state.raw<TrustView | null>(null);
  conversations = $state.raw<Conversation[]>([]);
  unread = $state(0);
  /** Messages sealed here that no relay has taken yet. */
  outboxCount = $state(0);
  /** Envelopes refused, by reason (tampered, wrong-recipient, bad-signature, …); never shown as messages. */
  messageRejects = $state.raw<Record<string, number>>({});
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  installable = $state<'yes' | 'installed' | 'insecure' | 'unknown'>('unknown');
}

export const app = new AppState();
