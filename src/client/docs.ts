import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo/slim';
import type { CommunityDoc, FeedDoc } from '../core/model/types.ts';
import { UserError } from './errors.ts';
import type { OpenRepo, SyncCredentials, SyncLink } from './ports.ts';

/**
 * The automerge docs this phone has open: the repo (started once, on demand, since loading Automerge
 * competes with the first paint), the community doc and my own feed.
 */
export class PhoneDocs {
  private link?: Promise<SyncLink>;
  repo?: Repo;
  community?: DocHandle<CommunityDoc>;
  feed?: DocHandle<FeedDoc>;
  communityUrl?: string;

  constructor(
    private readonly openRepo: OpenRepo,
    /** Who the relay session is signed for (read at each connection). */
    private readonly credentials: () => SyncCredentials | undefined,
    /** Called once, when the repo has started: the relay link's events go to the sync status. */
    private readonly onLink: (link: SyncLink) => void,
  ) {}

  async start(dataKey: Uint8Array | undefined): Promise<Repo> {
    if (this.repo) return this.repo;
    if (!dataKey) throw new UserError('error.notReady');
    this.link ??= this.openRepo(dataKey, this.credentials).then((link) => {
      this.onLink(link);
      this.repo = link.repo;
      return link;
    });
    return (await this.link).repo;
  }

  /** The community doc at `url`, or a UserError when it cannot be had or is not a community. */
  async findCommunity(repo: Repo, url: string): Promise<DocHandle<CommunityDoc>> {
    const handle = await repo.find<CommunityDoc>(url as AutomergeUrl).catch(() => undefined);
    if (!handle || handle.doc()?.type !== 'community') throw new UserError('error.communityUnavailable');
    return handle;
  }

  /** The handles the relay has to hold for my writes to count as delivered. */
  written(): DocHandle<unknown>[] {
    return this.feed && this.community ? [this.feed, this.community] as DocHandle<unknown>[] : [];
  }
}
