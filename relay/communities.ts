import type { AutomergeUrl, DocHandle } from '@automerge/automerge-repo';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { readCommunity, type CommunityView } from '../src/core/model/read-community.ts';
import { COMMUNITY_MAPS } from '../src/core/model/restore.ts';
import { retirementDigest } from '../src/core/model/retirement.ts';
import { createHubRecord, hubReadsAll } from '../src/core/model/hub-record.ts';
import type { CommunityDoc } from '../src/core/model/types.ts';
import { SignedHistory } from '../src/core/sync/signed-history.ts';
import { FoundingHub, type FoundedState } from './founding-hub.ts';
import { loadRelayKey, type RelayKey } from './relay-key.ts';
import type { StateFiles } from './sealed-data.ts';
import type { Logger } from './log.ts';
import type { RelayRepo } from './repo.ts';
import { documentIdOf as docId, isAutomergeUrl } from '../src/core/protocol/automerge-url.ts';
import type { InvitePins } from '../src/core/protocol/invite.ts';

export interface ServedCommunity extends FoundedState {
  /** The community's own id (inside its doc); empty until a joined community's doc has arrived. */
  id: string;
  name: string;
  url: AutomergeUrl;
  /** Author of the community's founding record, pinned the first time this relay saw one. */
  founder?: string;
  /** Digest of the founder's retirement (core/model/retirement.ts), pinned the first time this relay saw one. */
  retirement?: string;
}

/**
 * automerge-repo's find() waits for a network peer when a doc is not on disk, and a relay may have no
 * phone connected: stop waiting quickly; a doc that is not here arrives later (from a phone or a bridge).
 */
const FIND_TIMEOUT_MS = 3000;

interface RelayState {
  communities: ServedCommunity[];
}

/**
 * The communities this relay serves. The relay is a full replica: it follows every member's feed
 * listed in the community directory, so phones that arrive later (or other islands) get them.
 * A community can also be joined by URL before its doc is here: it arrives later through a bridge.
 */
export class Communities extends EventEmitter<{ doc: [docId: string]; view: [communityDocId: string, view: CommunityView] }> {
  readonly served: ServedCommunity[] = [];
  private readonly following = new Map<string, string>(); // feed doc id -> community id
  private readonly feedOwners = new Map<string, string>(); // feed doc id -> the member whose feed it is
  private readonly followed = new Set<string>(); // community doc ids with a change listener
  private readonly histories = new Map<string, SignedHistory>(); // community url -> its signed records' past
  private readonly views = new Map<string, CommunityView>(); // community url -> what its signed records say
  private key?: RelayKey;
  private readonly hub: FoundingHub;

  constructor(
    private readonly rr: RelayRepo,
    private readonly dataDir: string,
    private readonly log: Logger,
    /** Where relay.json and the relay key are kept: sealed in a sealed data dir (relay/sealed-data.ts). */
    private readonly files: StateFiles,
    /** Other relays' keys this relay names in the communities it founds (--community-relay). */
    extraRelays: readonly string[] = [],
    /** The origin phones open (--origin), named in the communities this relay founds. */
    origin?: string,
  ) {
    super();
    this.hub = new FoundingHub(() => this.relayKey, log, extraRelays, origin);
  }

  private get stateFile(): string {
    return path.join(this.dataDir, 'relay.json');
  }

  /** `pins`: the founder and retirement an invite named, by community URL (pinned, as a phone pins them at join). */
  async load(defaultName: string, join: AutomergeUrl[] = [], pins: Record<string, InvitePins> = {}): Promise<void> {
    this.key = await loadRelayKey(this.dataDir, this.files);
    // A sealed data dir keeps which communities it serves (their names and URLs) sealed too.
    const state = await this.files.read<RelayState>(this.stateFile, 'communities');
    if (state?.communities.length) this.served.push(...state.communities);
    for (const url of join) {
      const { founder, retirement } = pins[url] ?? {};
      let known = this.served.find((c) => c.url === url);
      if (!known) this.served.push((known = { id: '', name: '', url }));
      if (known.founder === undefined && founder) known.founder = founder;
      if (known.retirement === undefined && retirement) known.retirement = retirement;
    }
    if (this.served.length === 0) this.served.push(this.createCommunity(defaultName));
    await this.save();
    for (const c of this.served) await this.follow(c);
  }

  private save(): Promise<void> {
    return this.files.write(this.stateFile, 'communities', { communities: this.served } satisfies RelayState);
  }

  private createCommunity(name: string): ServedCommunity {
    const { id, name: named, doc } = this.hub.newCommunity(name);
    const handle = this.rr.repo.create<CommunityDoc>(doc);
    this.log.info({ community: id, url: handle.url }, 'created default community');
    return { id, name: named, url: handle.url, founder: this.relayKey.publicKey };
  }

  /**
   * Signs into the community doc which formats this relay (and the app it serves) reads, once per format
   * set: phones store public records as scalars only when every hub of the community has (hub-record.ts).
   * Again if someone deletes it: without it phones only fall back to text, which every version reads.
   */
  private sayWhatItReads(view: CommunityView, h: DocHandle<CommunityDoc>): void {
    const key = this.relayKey;
    if (!view.id || hubReadsAll(h.doc(), key.publicKey, view.id)) return;
    const record = createHubRecord(key.secretKey, key.publicKey, view.id, Date.now());
    h.change((d) => {
      d.hubs ??= {};
      d.hubs[key.publicKey] = record;
    });
  }

  /** This relay's identity key (loaded by load()). */
  get relayKey(): RelayKey {
    if (!this.key) throw new Error('relay key not loaded yet');
    return this.key;
  }

  /** What a served community's signed records say (settings, stewards, relays, members), if it is here. */
  view(idOrUrl: string): CommunityView | undefined {
    const c = this.served.find((s) => s.id === idOrUrl || s.url === idOrUrl || docId(s.url) === idOrUrl);
    return c ? this.views.get(c.url) : undefined;
  }

  /**
   * The relay keys `community` names (its steward-signed relays list), this relay's own always among
   * them (it reads its own stored bundles back at start). Before the community's doc is read: this relay
   * and the --community-relay keys, as it would name them.
   */
  relaysOf(community: string): string[] {
    const c = this.served.find((s) => s.id !== '' && s.id === community);
    const view = c ? this.views.get(c.url) : undefined;
    return view ? [...new Set([...view.settings.relays, this.relayKey.publicKey])] : this.hub.relaysToName([]);
  }

  /** Every relay key some served community names (for what belongs to no one community yet). */
  allRelays(): string[] {
    return [...new Set(this.served.flatMap((c) => (c.id ? this.relaysOf(c.id) : this.hub.relaysToName([]))))];
  }

  /** Doc ids of everything this relay replicates: community docs and their members' feeds. */
  replicatedDocIds(): string[] {
    return [...this.served.map((c) => docId(c.url)), ...this.following.keys()];
  }

  communityOfDoc(id: string): string | undefined {
    return this.served.find((c) => docId(c.url) === id)?.id || this.following.get(id);
  }

  /** Accept policy for docs arriving from other relays: our community docs and their feeds. */
  accepts(id: string, community: string | undefined): boolean {
    if (this.served.some((c) => docId(c.url) === id)) return true;
    return community !== undefined && this.served.some((c) => c.id !== '' && c.id === community);
  }

  /**
   * True while a community this relay joined has not arrived yet (its id is unknown): until then a
   * refused change-set may belong to it. Once every served community is known, a refusal is final:
   * the bundle is only being carried, and it stays in the store (replayed at start if we join).
   */
  awaitingCommunity(): boolean {
    return this.served.some((c) => c.id === '');
  }

  /** Called when a doc arrived from another relay, so a joined community starts being followed. */
  async arrived(id: string): Promise<void> {
    const c = this.served.find((s) => docId(s.url) === id);
    if (c) await this.follow(c);
  }

  private async follow(c: ServedCommunity): Promise<void> {
    if (this.followed.has(c.url)) return;
    const handle = this.rr.repo.handles[docId(c.url) as never] as DocHandle<CommunityDoc> | undefined;
    const h = handle?.isReady() ? handle : await within(this.rr.repo.find<CommunityDoc>(c.url), FIND_TIMEOUT_MS);
    if (!h?.doc()) {
      this.log.info({ url: c.url }, 'community not here yet; waiting for it to arrive through a bridge or a phone');
      // A member's phone may bring the doc over its own sync (phones carry, issue 21), not as a change-set.
      const later = this.rr.repo.handles[docId(c.url) as never] as DocHandle<CommunityDoc> | undefined;
      void later?.whenReady().then(
        () => this.follow(c),
        () => undefined,
      );
      return;
    }
    this.followed.add(c.url);
    this.rr.watch(h as DocHandle<unknown>);
    const sync = () => this.onCommunity(c, h as DocHandle<CommunityDoc>);
    h.on('change', sync);
    sync();
  }

  private onCommunity(c: ServedCommunity, h: DocHandle<CommunityDoc>): void {
    const doc = h.doc();
    if (!doc) return;
    let history = this.histories.get(c.url);
    if (!history) this.histories.set(c.url, (history = new SignedHistory(COMMUNITY_MAPS)));
    history.update(doc);
    const view = readCommunity(doc, history, c.founder, c.retirement);
    this.views.set(c.url, view);
    if (view.retirement && c.retirement === undefined) {
      // Held to from now on, as a phone holds to it: a retirement signed later, dated earlier, is not chosen.
      c.retirement = retirementDigest(view.retirement);
      void this.save();
    }
    if (view.problems.length) this.log.debug({ community: view.id, problems: view.problems.slice(0, 20), count: view.problems.length }, 'community records ignored');
    if (!view.founder && !view.problems.some((p) => p.reason === 'founding.invalid')) return this.hub.foundUnsigned(h);
    if ((c.id === '' && view.id) || (view.founder && c.founder === undefined)) {
      Object.assign(c, { id: view.id, name: view.settings.name, founder: view.founder });
      void this.save();
    }
    this.hub.duties(c, view, h, history, () => void this.save());
    this.sayWhatItReads(view, h);
    // A member the organisers removed: their feed is no longer served to phones nor carried.
    for (const [id, owner] of this.feedOwners) {
      if (view.settings.removed?.[owner] === undefined || this.following.get(id) !== c.id) continue;
      this.following.delete(id);
      this.feedOwners.delete(id);
      this.log.info({ community: view.id, member: owner }, 'removed member: feed no longer served');
    }
    // Members' feeds, including entries someone deleted or altered without the member's signature.
    for (const [agentId, m] of Object.entries(view.members)) {
      this.replicate(c, m.feedUrl);
      this.feedOwners.set(docId(m.feedUrl), agentId);
    }
    // The sanctuary doc travels like a feed (its entries are sealed; readers judge who wrote them).
    const sanctuary = doc.sanctuary?.url;
    if (isAutomergeUrl(sanctuary)) this.replicate(c, sanctuary);
    this.emit('view', docId(c.url), view);
  }

  /**
   * May `relay` write to `docId` of `community`? Our own bundles always; another relay's only if the
   * community's steward-signed relays list names it. A community joined by URL whose doc is not here
   * yet is judged by the doc the change-set itself brings: its founding must name that relay (and be
   * by the founder this relay pinned, if any). With no community given (contact sync before any doc),
   * a relay named by any community served here.
   */
  relayMayWrite(community: string | undefined, relay: string, id?: string, incoming?: () => unknown): boolean {
    if (relay === this.key?.publicKey) return true;
    const c = community ? this.served.find((s) => s.id !== '' && s.id === community) : undefined;
    const view = c ? this.views.get(c.url) : undefined;
    if (view) return view.settings.relays.includes(relay);
    const joined = id ? this.served.find((s) => docId(s.url) === id && !this.views.has(s.url)) : undefined;
    if (joined && incoming) {
      const doc = incoming() as Partial<CommunityDoc> | undefined;
      const v = doc?.type === 'community' ? readCommunity(doc, undefined, joined.founder, joined.retirement) : undefined;
      return !!v?.founder && v.settings.relays.includes(relay);
    }
    if (community === undefined) return [...this.views.values()].some((v) => v.settings.relays.includes(relay));
    return false;
  }

  /** Keeps a community's doc here, watched and carried to other islands; it may not have arrived yet. */
  private replicate(c: ServedCommunity, url: string): void {
    const id = docId(url);
    if (this.following.has(id)) return;
    this.following.set(id, c.id);
    this.emit('doc', id);
    const existing = this.rr.repo.handles[id as never] as DocHandle<unknown> | undefined;
    if (existing?.isReady()) {
      this.rr.watch(existing);
      return;
    }
    // Watch the handle even when find gives up: the doc may arrive later from a phone or a bridge.
    const watchHandle = () => {
      const h = this.rr.repo.handles[id as never] as DocHandle<unknown> | undefined;
      if (h) this.rr.watch(h);
    };
    void within(this.rr.repo.find(url as AutomergeUrl), FIND_TIMEOUT_MS).then((found) => {
      if (!found) this.log.debug({ doc: url }, 'doc not here yet');
      watchHandle();
    });
  }
}

/**
 * Waits at most `ms` for a find. The find itself is not aborted: aborting leaves automerge-repo with a
 * handle that never becomes ready even after the doc is imported later.
 */
function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      () => (clearTimeout(t), resolve(undefined)),
    );
  });
}

export { docId };
