import { openRequests, stageOf, type AgreementRecords, type PostStage } from '../core/model/post-stage.ts';
import type { Intent } from '../core/model/types.ts';
import type { CommunityState } from './community-state.ts';
import type { RequestNotifier } from './ports.ts';
import { Store } from './store.ts';
import type { SecretStore } from './vault.ts';

/** Notified request ids kept across starts: enough for months of requests, bounded against a flood. */
const MAX_REMEMBERED = 500;

/** A request for one of my posts, as the owner's screens show it. */
export interface RequestRow {
  /** `author/id` of my post (its detail page). */
  postKey: string;
  postTitle: string;
  postKind: Intent['kind'];
  proposalId: string;
  from: string;
  note: string;
  created: number;
}

export interface RequestsState {
  /** Requests for my posts waiting for my answer: the count the nav's badge shows. */
  requestsForMe: number;
  requests: RequestRow[];
  /** Every post of mine with where it stands, newest first ("My posts"). */
  myPosts: Array<{ post: Intent; stage: PostStage }>;
  /** i18n key of why the last system notification could not be shown (null when it was, or none was due). */
  requestNotifyError: string | null;
}

export function emptyRequests(): RequestsState {
  return { requestsForMe: 0, requests: [], myPosts: [], requestNotifyError: null };
}

export interface RequestHost {
  me(): string | undefined;
  /** The community module's state: my posts and every verified agreement record. */
  community: Store<CommunityState>;
  /** A member's name as the directory has it. */
  name(agentId: string): string;
  notify?: RequestNotifier;
}

/**
 * The owner's side of "Ask for it" / "I can help": which requests for my posts wait for my answer (the
 * badge), where each of my posts stands, and one system notification per new request — also for a
 * request that arrived while the phone was closed, but never twice (the ids notified are kept sealed).
 */
export class RequestWatch {
  private notified = new Set<string>();
  private unsubscribe?: () => void;
  private loaded = false;

  constructor(
    private readonly store: SecretStore,
    private readonly host: RequestHost,
    readonly state = new Store<RequestsState>(emptyRequests()),
  ) {}

  async load(): Promise<void> {
    const saved = await this.store.get<unknown>('requestsNotified').catch(() => undefined);
    if (Array.isArray(saved)) for (const id of saved.slice(-MAX_REMEMBERED)) if (typeof id === 'string') this.notified.add(id);
    this.loaded = true;
  }

  start(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.host.community.subscribe((s) => this.update(s.mine, s.agreements));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private update(mine: readonly Intent[], a: AgreementRecords): void {
    const me = this.host.me();
    const posts = me ? mine.filter((p) => p.author === me) : [];
    const open = openRequests(posts, a);
    const requests = open.map(({ post, proposal }) => ({
      postKey: `${post.author}/${post.id}`,
      postTitle: post.name,
      postKind: post.kind,
      proposalId: proposal.id,
      from: proposal.author,
      note: proposal.note,
      created: proposal.created,
    }));
    const myPosts = posts.map((post) => ({ post, stage: stageOf(post, a) })).sort((x, y) => y.post.updated - x.post.updated);
    this.state.set({ requestsForMe: requests.length, requests, myPosts });
    if (this.loaded) void this.notifyNew(requests);
  }

  private async notifyNew(requests: RequestRow[]): Promise<void> {
    const fresh = requests.filter((r) => !this.notified.has(r.proposalId));
    if (fresh.length === 0) return;
    for (const r of fresh) this.notified.add(r.proposalId);
    const kept = [...this.notified].slice(-MAX_REMEMBERED);
    this.notified = new Set(kept);
    await this.store.put('requestsNotified', kept).catch(console.error);
    for (const r of fresh) {
      try {
        await this.host.notify?.({ ...r, fromName: this.host.name(r.from) });
        this.state.set({ requestNotifyError: null });
      } catch (err) {
        console.warn('request notification failed', err);
        this.state.set({ requestNotifyError: 'requests.notifyFailed' });
      }
    }
  }
}
