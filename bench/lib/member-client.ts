import { Repo, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo';
import { createIdentity, type Identity } from '../../src/core/crypto/keys.ts';
import type { CommunityDoc } from '../../src/core/model/types.ts';
import { SessionWebSocketClientAdapter } from '../../src/platform/session-socket.ts';
import { untilPeer } from '../../tests/helpers/until-peer.ts';

export interface MemberClient {
  me: Identity;
  communityUrl: AutomergeUrl;
  repo: Repo;
  community: DocHandle<CommunityDoc>;
}

/**
 * A Node automerge-repo client with a key of its own on a signed sync session to the relay, holding the
 * relay's first community: what the bench seeders write members and offers through, as a phone would.
 * The repo is shut down if the community cannot be had.
 */
export async function memberClient(relayUrl: string): Promise<MemberClient> {
  const info = (await (await fetch(`${relayUrl}/api/info`)).json()) as { communities: Array<{ url: AutomergeUrl }> };
  const communityUrl = info.communities[0]?.url;
  if (!communityUrl) throw new Error('relay serves no community');
  const me = createIdentity();
  const network = new SessionWebSocketClientAdapter(relayUrl.replace(/^http/, 'ws') + '/sync', 500, () => ({ identity: me, communityUrls: [communityUrl] }));
  const repo = new Repo({ network: [network] });
  try {
    await untilPeer(repo, network);
    return { me, communityUrl, repo, community: await repo.find<CommunityDoc>(communityUrl) };
  } catch (err) {
    await repo.shutdown();
    throw err;
  }
}
