/**
 * Puts offers on a relay the honest way: a separate member (a Node automerge-repo client on the
 * relay's WebSocket) joins the relay's community with a signed profile and writes its offers into
 * its own feed doc in one change. Phones then receive them by syncing, as they would in the field.
 */
import type { Repo } from '@automerge/automerge-repo';
import { createProfile, memberEntry, newFeedDoc } from '../../src/core/model/community.ts';
import type { FeedDoc } from '../../src/core/model/types.ts';
import { scalarRecord } from '../../src/core/model/scalar-strings.ts';
import { makeOffers } from './offers.ts';
import { memberClient } from './member-client.ts';

export interface Seeder {
  agentId: string;
  feedUrl: string;
  communityUrl: string;
  /** The member's own repo: the docs exactly as it wrote them (for baselines over the same docs). */
  repo: Repo;
  /** Stops the client; call once the phone has what it needs (the relay keeps a replica). */
  close(): Promise<void>;
}

/**
 * How the member stores its records: as text (what phones write today) or as Automerge scalars (what
 * they write once openspec/changes/records-as-scalars-write lands; readers already take both).
 */
export type StoredAs = 'text' | 'scalars';

export async function seedOffers(relayUrl: string, n: number, memberName = 'Seed member', stored: StoredAs = 'text'): Promise<Seeder> {
  const put = <T>(r: T): T => (stored === 'scalars' ? scalarRecord(r) : r);
  const { me, communityUrl, repo, community } = await memberClient(relayUrl);
  try {
    const now = Date.now();
    const offers = makeOffers(me, n, now);
    const feed = repo.create<FeedDoc>(newFeedDoc(me.agentId, community.doc().id));
    feed.change((d) => {
      for (const o of offers) d.intents[o.id] = put(o);
    });
    community.change((d) => {
      d.members[me.agentId] = put(memberEntry(me, createProfile(me, memberName, now), d.id, feed.url, now));
    });
    return { agentId: me.agentId, feedUrl: feed.url, communityUrl, repo, close: () => repo.shutdown() };
  } catch (err) {
    await repo.shutdown();
    throw err;
  }
}
