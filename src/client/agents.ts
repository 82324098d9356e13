import { AGENT_NAMES, type AgentName, type AgentProposal } from '../../agents/types.ts';
import type { DecisionState } from '../../agents/governance-records.ts';
import { communityAgentChoice } from '../../agents/community-choice.ts';
import { memberRecords } from '../../agents/lib/member-records.ts';
import type { Identity } from '../core/crypto/keys.ts';
import { memberEntries, validMember } from '../core/model/community.ts';
import type { CommunityDoc, Intent, Vouch } from '../core/model/types.ts';
import type { Community } from './community.ts';
import type { DecisionsDesk } from './decisions.ts';
import { UserError } from './errors.ts';
import type { Intents } from './intents.ts';
import type { SettingsTable } from './local-store.ts';
import type { AgentsRunner, RelayHttp } from './ports.ts';
import { Route, withCommunity } from '../core/protocol/routes.ts';
import { Store } from './store.ts';
import type { SecretStore } from './vault.ts';

export interface AgentsState {
  suggestions: AgentProposal[];
  agentRuns: Array<{ agent: AgentName; ms: number; count: number; error?: string }>;
  agentsEnabled: AgentName[];
}

/** What the agents read and act through. */
export interface AgentsHost {
  me(): Identity | undefined;
  community(): CommunityDoc | undefined;
  /** No agents in the decoy: it has nobody's data. */
  decoy(): boolean;
  /** Whether I may see members-only posts (the agents may then use them). */
  seeTrusted(): boolean;
  vouches(): Vouch[];
  thresholds(): CommunityDoc['thresholds'];
  findIntent(key: string): Promise<Intent | undefined>;
  decisions(): DecisionsDesk;
  relay: RelayHttp;
  settings: SettingsTable;
  secrets: SecretStore;
  run: AgentsRunner;
}

/**
 * The agents on this phone: they read every member's verified records (in my view) and suggest matches
 * and next steps; accepting one writes my own records, declining one hides it for good.
 */
export class Agents {
  readonly state = new Store<AgentsState>({ suggestions: [], agentRuns: [], agentsEnabled: [] });
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly community: Community,
    private readonly intents: Intents,
    private readonly host: AgentsHost,
  ) {}

  /** Agents rerun a moment after the docs settle (a bridge brings changes in bursts). */
  schedule(delayMs = 1500): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runNow(), delayMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  async runNow(): Promise<void> {
    const me = this.host.me();
    const doc = this.host.community();
    if (!me || !doc || this.host.decoy()) return;
    const mine = ((await this.host.settings.get<AgentName[]>('agentsEnabled')) ?? [...AGENT_NAMES]).filter((n) => AGENT_NAMES.includes(n));
    this.state.set({ agentsEnabled: mine });
    // The organisers' signed switches and weights, read as the community hub reads them.
    const signed = this.community.signed?.settings;
    const { enabled, agentSettings } = communityAgentChoice(signed, mine);
    const declined = (await this.host.secrets.get<string[]>('declined')) ?? [];
    const vouchesBy = new Map<string, Vouch[]>();
    for (const v of this.host.vouches()) vouchesBy.set(v.from, [...(vouchesBy.get(v.from) ?? []), v]);
    const views = this.community.views;
    const members = Object.entries(memberEntries(doc))
      .filter(([id, m]) => validMember(id, m) && views.has(id))
      .map(([id, m]) => {
        const v = views.get(id)!;
        // memberRecords, shared with the island relay: a hand-over taken back with "undo" no longer counts.
        return { ...memberRecords({ agentId: id, name: m.profile.name, joined: m.joined }, v, vouchesBy.get(id) ?? []), decisions: this.community.decisionRecords.get(id) ?? [] };
      });
    // Plain data only crosses to the worker (Automerge hands out its own objects).
    const input = JSON.parse(
      JSON.stringify({
        viewer: me.agentId,
        now: Date.now(),
        // Categories and areas as the organisers signed them, not the doc's unsigned cache of them.
        community: { id: doc.id, name: signed?.name ?? doc.name, categories: signed?.categories ?? doc.categories, areas: signed?.areas ?? doc.areas, thresholds: this.host.thresholds() },
        members,
        declined,
        agentSettings,
        seeTrusted: this.host.seeTrusted(),
        budget: 200_000,
      }),
    );
    const report = await this.host.run({ input, enabled });
    this.state.set({ suggestions: report.proposals.slice(0, 100), agentRuns: report.runs });
  }

  /** What the island's relay proposes for everyone (public records only); none when it cannot be reached. */
  async islandSuggestions(): Promise<AgentProposal[]> {
    const id = this.host.community()?.id;
    if (!id || this.host.decoy()) return [];
    const { base, fetch } = this.host.relay;
    const res = await fetch(base + withCommunity(Route.suggestions, id), { cache: 'no-store' }).catch(() => undefined);
    if (!res?.ok) return [];
    const body = (await res.json().catch(() => null)) as { proposals?: AgentProposal[] } | null;
    return Array.isArray(body?.proposals) ? body.proposals.slice(0, 50) : [];
  }

  async setEnabled(name: AgentName, on: boolean): Promise<void> {
    const now = new Set(this.state.state.agentsEnabled);
    if (on) now.add(name);
    else now.delete(name);
    const agentsEnabled = AGENT_NAMES.filter((n) => now.has(n));
    this.state.set({ agentsEnabled });
    await this.host.settings.set('agentsEnabled', agentsEnabled);
    this.schedule(0);
  }

  /** Declined suggestions are remembered (sealed) and never shown again. */
  async decline(p: AgentProposal): Promise<void> {
    const declined = new Set((await this.host.secrets.get<string[]>('declined')) ?? []);
    declined.add(p.id);
    await this.host.secrets.put('declined', [...declined]);
    this.state.set({ suggestions: this.state.state.suggestions.filter((x) => x.id !== p.id) });
  }

  /**
   * Accepting a match as the one in need asks the giver: a Proposal answering their offer, naming my need.
   * Nothing is agreed until the giver confirms it (a Commitment on their phone).
   */
  async acceptMatch(p: AgentProposal): Promise<'asked' | 'not-mine'> {
    const [offerKey, needKey] = this.matchKeys(p);
    const offer = offerKey && (await this.host.findIntent(offerKey));
    const need = needKey && (await this.host.findIntent(needKey));
    if (!offer || !need) throw new UserError('agents.gone');
    if (need.author !== this.host.me()?.agentId) return 'not-mine';
    await this.intents.propose(offer, need, '');
    await this.decline(p); // handled: not suggested again
    return 'asked';
  }

  /** GovernanceCircle's next steps: the facilitator's round or outcome is written at once; answers are on the Decisions page. */
  async acceptGovernance(p: AgentProposal): Promise<'done' | 'open-page'> {
    const s: DecisionState | undefined = this.community.state.state.decisions.find((d) => d.key === p.subjects[0]);
    if (!s) throw new UserError('agents.gone');
    const mine = s.facilitator === this.host.me()?.agentId;
    if (p.kind === 'open-consent-round' && mine) await this.host.decisions().openRound(s);
    else if (p.kind === 'record-outcome' && mine && p.summaryKey.endsWith('.adopted')) await this.host.decisions().outcome(s, 'adopted');
    else return 'open-page';
    await this.decline(p);
    return 'done';
  }

  /** Matchmaker subjects are intent ids; intent ids are unique per author, so find each author. */
  private matchKeys(p: AgentProposal): [string | undefined, string | undefined] {
    const find = (id: string) => {
      for (const [author, v] of this.community.views) if (v.intents.some((i) => i.id === id)) return `${author}/${id}`;
      return undefined;
    };
    return [find(p.subjects[0]), find(p.subjects[1])];
  }
}
