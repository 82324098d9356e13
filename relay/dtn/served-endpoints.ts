import { changesEndpoint, DISCOVERY_QUERY_ENDPOINT, LIBRARY_MANIFEST_ENDPOINT } from '../../src/core/protocol/endpoints.ts';
import type { Communities } from '../communities.ts';
import { endpointKey, EVERY_INBOX } from './routing/destination.ts';

/**
 * The group endpoints this relay takes delivery for, as spray-and-wait and PRoPHET announce them: its
 * communities (change-sets and alerts), what every relay takes (discovery queries, the library), and
 * every person's inbox (a reader finds messages on whichever island they are). A community joined but
 * not arrived yet has no id: it is announced once it arrives.
 */
export function servedEndpoints(communities: Pick<Communities, 'served'>): string[] {
  const own = communities.served.filter((c) => c.id !== '').map((c) => endpointKey(changesEndpoint(c.id)));
  return [...own, endpointKey(DISCOVERY_QUERY_ENDPOINT), endpointKey(LIBRARY_MANIFEST_ENDPOINT), EVERY_INBOX];
}
