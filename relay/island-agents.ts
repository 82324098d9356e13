import type { DocHandle } from '@automerge/automerge-repo';
import { communityAgentChoice } from '../agents/community-choice.ts';
import { runAgents } from '../agents/index.ts';
import { memberRecords } from '../agents/lib/member-records.ts';
import type { AgentInput, AgentName, AgentProposal, MemberRecords } from '../agents/types.ts';
import { memberEntries, validMember } from '../src/core/model/community.ts';
import type { CommunitySettings } from '../src/core/model/community-settings.ts';
import type { CommunityDoc, FeedDoc } from '../src/core/model/types.ts';
import { docId, type Communities } from './communities.ts';
import type { FeedViews } from './feed-views.ts';
import type { Logger } from './log.ts';
import type { RelayRepo } from './repo.ts';
import { WhenQuiet } from './quiet.ts';

/**
 * Agents whose proposals concern the island as a whole (counts, pools, bursts, themes, celebrations);
 * the personal ones run on each phone. The relay reads public records only: what it proposes anyone on
 * the island may see.
 */
export const ISLAND_AGENTS: readonly AgentName[] = ['GiftFlow', 'InventoryAgent', 'ConquestOfBread', 'CounterPower', 'Conscientization', 'InsurrectionaryJoy'];
const RELAY_VIEWER = 'island-relay';
/** Work cap per agent per run, so a huge community cannot hold the relay's event loop for long. */
const BUDGET = 200_000;

export interface IslandSuggestions {
  community: string;
  at: number;
  ms: number;
  proposals: AgentProposal[];
}

export class IslandAgents {
  private latest = new Map<string, IslandSuggestions>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly rr: RelayRepo,
    private readonly communities: Communities,
    private readonly intervalMs: number,
    private readonly log: Logger,
    private readonly feeds: FeedViews,
  ) {}

  private soon?: WhenQuiet;

  start(): void {
    if (this.intervalMs <= 0) return;
    // Every interval, and once changes settle (a bridge brings them in bursts): either way not while a
    // burst is still being applied and served to phones, and at most one interval late.
    const soon = new WhenQuiet(() => this.runAll(), Math.min(5_000, this.intervalMs), this.intervalMs);
    this.soon = soon;
    this.timer = setInterval(() => soon.poke(), this.intervalMs);
    this.timer.unref();
    this.rr.onChange(() => soon.poke());
    this.rr.onPhoneMessage(() => soon.poke());
  }

  stop(): void {
    clearInterval(this.timer);
    this.soon?.stop();
  }

  get(community: string): IslandSuggestions | undefined {
    return this.latest.get(community);
  }

  /** One pass over every served community whose doc is here. */
  runAll(now = Date.now()): void {
    for (const c of this.communities.served) {
      const doc = this.doc<CommunityDoc>(c.url);
      if (!doc || !c.id) continue;
      const t0 = performance.now();
      // The organisers' signed switches and weights, read as every phone reads them.
      const signed = this.communities.view(doc.id)?.settings;
      const { enabled, agentSettings } = communityAgentChoice(signed, ISLAND_AGENTS);
      const report = runAgents({ ...this.input(doc, signed, now), agentSettings }, new Set(enabled));
      const ms = Math.round(performance.now() - t0);
      for (const r of report.runs) if (r.error) this.log.warn({ agent: r.agent, err: r.error }, 'island agent failed');
      this.latest.set(c.id, { community: c.id, at: now, ms, proposals: report.proposals.slice(0, 50) });
      this.log.debug({ community: c.id, ms, proposals: report.proposals.length }, 'island agents ran');
    }
  }

  private handle<T>(url: string): DocHandle<T> | undefined {
    const h = this.rr.repo.handles[docId(url) as never] as DocHandle<T> | undefined;
    return h?.isReady() ? h : undefined;
  }

  private doc<T>(url: string): T | undefined {
    return this.handle<T>(url)?.doc();
  }

  private input(doc: CommunityDoc, signed: CommunitySettings | undefined, now: number): AgentInput {
    const members: MemberRecords[] = [];
    // A member the organisers removed takes no part in the island's suggestions.
    const removed = signed?.removed ?? {};
    for (const [id, m] of Object.entries(memberEntries(doc))) {
      if (!validMember(id, m) || Object.hasOwn(removed, id)) continue;
      const feed = this.handle<FeedDoc>(m.feedUrl);
      if (!feed || feed.doc()?.owner !== id) continue;
      const v = this.feeds.read(feed);
      if (!v) continue;
      // memberRecords, shared with the phones: a hand-over taken back with "undo" no longer counts.
      members.push(memberRecords({ agentId: id, name: m.profile.name, joined: m.joined }, v));
    }
    return {
      viewer: RELAY_VIEWER,
      now,
      // Names and limits as the organisers signed them, as a phone reads them: the doc's own copies are
      // unsigned and anyone holding the doc could rewrite them.
      community: { id: doc.id, name: signed?.name ?? doc.name, categories: signed?.categories ?? doc.categories, areas: signed?.areas ?? doc.areas, thresholds: signed?.thresholds ?? doc.thresholds },
      members,
      canSee: (_author, audience) => audience === 'public',
      budget: BUDGET,
    };
  }
}
