import type { AutomergeUrl } from '@automerge/automerge-repo';
import { RELAY_ANSWER_MS } from './dtn-status.ts';

/** The relay's first community as /api/info shows it: its URL only while nobody has joined (invite-only). */
export interface RelayCommunity {
  id: string;
  url?: AutomergeUrl;
  /** The founder key an invite would carry. */
  founder?: string;
}

export async function relayCommunity(relayUrl: string): Promise<RelayCommunity> {
  for (let attempt = 1; ; attempt++) {
    try {
      const info = (await (await fetch(`${relayUrl}/api/info`, { signal: AbortSignal.timeout(RELAY_ANSWER_MS) })).json()) as { communities: RelayCommunity[] };
      return info.communities[0];
    } catch (err) {
      // A pooled keep-alive socket to an earlier relay on the same port ("other side closed"): ask again.
      if (attempt >= 3 || (err as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw err;
    }
  }
}

/** The community URL /api/info shows, or an error saying the relay no longer hands it out. */
export async function relayCommunityUrl(relayUrl: string): Promise<AutomergeUrl> {
  const url = (await relayCommunity(relayUrl)).url;
  if (!url) throw new Error('the relay does not show its community URL (invite-only and founded)');
  return url;
}
