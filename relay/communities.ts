import type { AutomergeUrl, DocHandle } from '@automerge/automerge-repo';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { randomBytes } from '../src/core/crypto/keys.ts';
import { randomId } from '../src/core/crypto/encoding.ts';
import { newCommunityDoc, validMember } from '../src/core/model/community.ts';
import type { CommunityDoc } from '../src/core/model/types.ts';
import type { Logger } from './log.ts';
import type { RelayRepo } from './repo.ts';
import { readJson, writeJsonAtomic } from './state-file.ts';
import { documentIdOf as docId, isAutomergeUrl } from '../src/core/protocol/automerge-url.ts';

export interface ServedCommunity {
  /** The community's own id (inside its doc); empty until a joined community's doc has arrived. */
  id: string;
  name: string;
  url: AutomergeUrl;
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
export class Communities extends EventEmitter<{ doc: [docId: string] }> {
  readonly served: ServedCommunity[] = [];
  private readonly following = new Map<string, string>(); // feed doc id -> community id
  private readonly followed = new Set<string>(); // community doc ids with a change listener

  constructor(
    private readonly rr: RelayRepo,
    private readonly dataDir: string,
    private readonly log: Logger,
  ) {
    super();
  }

  private get stateFile(): string {
    return path.join(this.dataDir, 'relay.json');
  }

  async load(defaultName: string, join: AutomergeUrl[] = []): Promise<void> {
    const state = await readJson<RelayState>(this.stateFile);
    if (state?.communities.length) this.served.push(...state.communities);
    for (const url of join) if (!this.served.some((c) => c.url === url)) this.served.push({ id: '', name: '', url });
    if (this.served.length === 0) this.served.push(this.createCommunity(defaultName));
    await this.save();
    for (const c of this.served) await this.follow(c);
  }

  private save(): Promise<void> {
    return writeJsonAtomic(this.stateFile, { communities: this.served } satisfies RelayState);
  }

  private createCommunity(name: string): ServedCommunity {
    const id = randomId(randomBytes);
    const handle = this.rr.repo.create<CommunityDoc>(newCommunityDoc(id, name, '', Date.now()));
    this.log.info({ community: id, url: handle.url }, 'created default community');
    return { id, name, url: handle.url };
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
      this.log.info({ url: c.url }, 'community not here yet; waiting for it to arrive through a bridge');
      return;
    }
    this.followed.add(c.url);
    this.rr.watch(h as DocHandle<unknown>);
    const sync = () => this.onCommunity(c, h.doc());
    h.on('change', sync);
    sync();
  }

  private onCommunity(c: ServedCommunity, doc: CommunityDoc | undefined): void {
    if (!doc) return;
    if (c.id === '' && typeof doc.id === 'string') {
      Object.assign(c, { id: doc.id, name: doc.name });
      void this.save();
    }
    for (const [agentId, m] of Object.entries(doc.members ?? {})) {
      if (validMember(agentId, m)) this.replicate(c, m.feedUrl);
    }
    // The sanctuary doc travels like a feed (its entries are sealed; readers judge who wrote them).
    const sanctuary = doc.sanctuary?.url;
    if (isAutomergeUrl(sanctuary)) this.replicate(c, sanctuary);
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
