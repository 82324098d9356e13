import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo/slim';
import type { CommunityDoc, FeedDoc } from '../core/model/types.ts';
import { UserError } from './errors.ts';
import { findEventually } from './find-eventually.ts';
import type { OpenRepo, SyncCredentials, SyncLink } from './ports.ts';
import { waitAtMost } from './wait-at-most.ts';

/**
 * The automerge docs this phone has open: the repo (started once, on demand, since loading Automerge
 * competes with the first paint), the community doc and my own feed.
 */
/** How long joining waits for a community its hub does not hold yet before saying it cannot be had. */
export const COMMUNITY_WAIT_MS = 90_000;
/** The longest a reload waits for the docs to be written out (one write takes milliseconds). */
export const SETTLE_BOUND_MS = 1_000;
/**
 * How long a write made right after a start (a post, an agreement, a vouch, a decision record, an
 * organiser's setting, a sanctuary set-up) waits for the docs to open before it is refused. They open after
 * the list is painted: Automerge's wasm is compiled then, a few seconds on a slow phone.
 */
export const OPEN_WAIT_MS = 30_000;

export class PhoneDocs {
  private link?: Promise<SyncLink>;
  repo?: Repo;
  community?: DocHandle<CommunityDoc>;
  feed?: DocHandle<FeedDoc>;
  communityUrl?: string;
  private markOpen!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.markOpen = resolve));

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

  /**
   * The community doc at `url`, or a UserError when it cannot be had or is not a community. A hub that
   * serves the community may not hold it yet (it is still on its way over a bridge, or the hub is busy):
   * it sends it when it comes, so wait for it a while instead of failing at the first "unavailable".
   */
  async findCommunity(repo: Repo, url: string, waitMs = COMMUNITY_WAIT_MS): Promise<DocHandle<CommunityDoc>> {
    const handle = await findEventually<CommunityDoc>(repo, url as AutomergeUrl).catch(() => undefined);
    if (!handle) throw new UserError('error.communityUnavailable');
    const arrived = (): boolean => handle.doc()?.type === 'community';
    // Something else at that address (it has a type): not a community, and waiting will not make it one.
    const other = (): boolean => {
      const type = handle.doc()?.type;
      return type !== undefined && type !== 'community';
    };
    if (!arrived() && !other()) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          handle.off('change', onChange);
          resolve();
        };
        const onChange = (): void => void (arrived() && done());
        const timer = setTimeout(done, waitMs);
        handle.on('change', onChange);
      });
    }
    if (!arrived()) throw new UserError('error.communityUnavailable');
    return handle;
  }

  /**
   * Writes out what automerge-repo still holds only in memory: it saves a doc at most every 100 ms, so a
   * reload (a lock, a new version of the app) right after a post would lose the post. Only ready docs: the
   * repo refuses to save one still arriving. Bounded, since a lock must happen even if the disk hangs.
   */
  async settle(boundMs = SETTLE_BOUND_MS): Promise<void> {
    const repo = this.repo;
    if (!repo) return;
    const ready = Object.values(repo.handles).filter((h) => h.isReady()).map((h) => h.documentId);
    await waitAtMost(repo.flush(ready).catch(() => undefined), boundMs);
  }

  /** The community doc and my feed are open: whoever waits for my feed gets it now. */
  openDone(): void {
    this.markOpen();
  }

  /** My feed, once the docs are open (waiting at most `waitMs` after a start); undefined if they are not. */
  async feedOpen(waitMs = OPEN_WAIT_MS): Promise<DocHandle<FeedDoc> | undefined> {
    if (!this.feed) await this.untilOpen(waitMs);
    return this.feed;
  }

  /** The community doc, on the same terms as `feedOpen` (an organiser's settings, a steward's sanctuary set-up). */
  async communityOpen(waitMs = OPEN_WAIT_MS): Promise<DocHandle<CommunityDoc> | undefined> {
    if (!this.community) await this.untilOpen(waitMs);
    return this.community;
  }

  private untilOpen(waitMs: number): Promise<void> {
    return waitAtMost(this.opened, waitMs);
  }

  /** The handles the relay has to hold for my writes to count as delivered. */
  written(): DocHandle<unknown>[] {
    return this.feed && this.community ? [this.feed, this.community] as DocHandle<unknown>[] : [];
  }
}
