import type { DocHandle, AutomergeUrl } from '@automerge/automerge-repo';
import path from 'node:path';
import { randomBytes } from '../src/core/crypto/keys.ts';
import { randomId } from '../src/core/crypto/encoding.ts';
import { newCommunityDoc, validMember } from '../src/core/model/community.ts';
import type { CommunityDoc } from '../src/core/model/types.ts';
import type { Logger } from './log.ts';
import type { RelayRepo } from './repo.ts';
import { readJson, writeJsonAtomic } from './state-file.ts';

export interface ServedCommunity {
  id: string;
  name: string;
  url: AutomergeUrl;
}

interface RelayState {
  communities: ServedCommunity[];
}

/**
 * The communities this relay serves. The relay is a full replica: it follows every member's feed
 * listed in the community directory, so phones that arrive later (or other islands) get them.
 */
export class Communities {
  readonly served: ServedCommunity[] = [];
  private readonly following = new Set<string>();

  constructor(
    private readonly rr: RelayRepo,
    private readonly dataDir: string,
    private readonly log: Logger,
  ) {}

  private get stateFile(): string {
    return path.join(this.dataDir, 'relay.json');
  }

  async load(defaultName: string): Promise<void> {
    const state = await readJson<RelayState>(this.stateFile);
    if (state?.communities.length) this.served.push(...state.communities);
    else this.served.push(this.createCommunity(defaultName));
    await writeJsonAtomic(this.stateFile, { communities: this.served } satisfies RelayState);
    for (const c of this.served) await this.follow(c);
  }

  private createCommunity(name: string): ServedCommunity {
    const id = randomId(randomBytes);
    const handle = this.rr.repo.create<CommunityDoc>(newCommunityDoc(id, name, '', Date.now()));
    this.log.info({ community: id, url: handle.url }, 'created default community');
    return { id, name, url: handle.url };
  }

  private async follow(c: ServedCommunity): Promise<void> {
    const handle = await this.rr.repo.find<CommunityDoc>(c.url);
    this.rr.watch(handle as DocHandle<unknown>);
    const sync = () => this.followMembers(handle.doc());
    handle.on('change', sync);
    sync();
  }

  private followMembers(doc: CommunityDoc | undefined): void {
    for (const [agentId, m] of Object.entries(doc?.members ?? {})) {
      if (this.following.has(m.feedUrl) || !validMember(agentId, m)) continue;
      this.following.add(m.feedUrl);
      this.rr.repo
        .find(m.feedUrl as AutomergeUrl)
        .then((h) => this.rr.watch(h as DocHandle<unknown>))
        .catch((err) => {
          this.following.delete(m.feedUrl);
          this.log.warn({ err: String(err), feed: m.feedUrl }, 'member feed not available yet');
        });
    }
  }
}
