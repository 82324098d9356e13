import { Repo, type AutomergeUrl } from '@automerge/automerge-repo';
import { createIdentity, type Identity } from '../../src/core/crypto/keys.ts';
import { readFeed } from '../../src/core/model/feed.ts';
import { readCommunity, type CommunityView } from '../../src/core/model/read-community.ts';
import { COMMUNITY_MAPS, FEED_MAPS, restoreFeed } from '../../src/core/model/restore.ts';
import type { CommunityDoc, FeedDoc } from '../../src/core/model/types.ts';
import { SignedHistory } from '../../src/core/sync/signed-history.ts';
import { findEventually } from '../../src/platform/find-eventually.ts';
import { SessionWebSocketClientAdapter } from '../../src/platform/session-socket.ts';

/**
 * A raw automerge-repo client on a signed sync session, below the phone: for tests that deliberately
 * act as no phone would — a key that holds an invite but never joins, a key that brings docs no
 * community lists, a reader that pins the founder an invite names. Honest phones are NodePhone
 * (phone-client.ts), the real client.
 */
export class SessionRepo {
  readonly repo: Repo;
  readonly network: SessionWebSocketClientAdapter;

  constructor(
    relayUrl: string,
    readonly communities: AutomergeUrl[],
    readonly me: Identity = createIdentity(),
  ) {
    this.network = new SessionWebSocketClientAdapter(relayUrl.replace(/^http/, 'ws') + '/sync', 500, () => ({ identity: me, communityUrls: communities }));
    this.repo = new Repo({ network: [this.network] });
  }

  /** The community read from signed records only, with the founder pinned when given. */
  async community(url: AutomergeUrl, founder?: string): Promise<CommunityView> {
    const doc = (await findEventually<CommunityDoc>(this.repo, url)).doc();
    const history = new SignedHistory(COMMUNITY_MAPS);
    history.update(doc);
    return readCommunity(doc, history, founder);
  }

  /** Titles of every valid intent in the members' feeds, read as signed records. */
  async titles(url: AutomergeUrl): Promise<string[]> {
    const titles: string[] = [];
    for (const m of Object.values((await this.community(url)).members)) {
      const doc = (await findEventually<FeedDoc>(this.repo, m.feedUrl as AutomergeUrl)).doc();
      if (doc?.type !== 'feed') continue;
      const history = new SignedHistory(FEED_MAPS.map((k) => [k]));
      history.update(doc);
      titles.push(...readFeed(restoreFeed(doc, history, m.author)).intents.map((i) => i.name));
    }
    return titles.sort();
  }

  async close(): Promise<void> {
    await this.repo.flush();
    await this.repo.shutdown();
  }
}
