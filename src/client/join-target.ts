import type { Identity } from '../core/crypto/keys.ts';
import type { Invite } from '../core/protocol/invite.ts';
import type { Standing } from '../core/vault/standing-backup.ts';
import { UserError } from './errors.ts';
import type { RelayHttp } from './ports.ts';
import { hubCommunity, openCommunity } from './relay-info.ts';

/** The community a join goes to, and the founder (and its retirement) the phone pins from then on. */
export interface JoinTarget {
  url: string;
  founder?: string;
  retirement?: string;
}

/**
 * Where a join goes: the invite's community; else a restored person's own; else the hub's own
 * community — its URL from /api/info while nobody has joined (the hub machine itself), or, where its
 * organisers opened it to newcomers, from the hub on a request signed by the joining key (`me`, made
 * only then). Without any of these the person is told why: an invite is needed, or the hub still waits
 * for its first organiser.
 */
export async function joinTarget(relay: RelayHttp, invite: Invite | null, standing: Standing | null, me: () => Identity): Promise<JoinTarget> {
  if (invite) return { url: invite.url, founder: invite.founder, retirement: invite.retirement };
  if (standing?.communityUrl) return { url: standing.communityUrl, founder: standing.pinnedFounder, retirement: standing.pinnedRetirement };
  const served = await hubCommunity(relay);
  const hub = served.url ? { url: served.url, founder: served.founder, retirement: served.retirement } : served.openJoin ? await openCommunity(relay, me()) : undefined;
  // The founder to pin: a backup's (keys and pins, no community), else the one the hub itself pinned.
  if (hub) return { url: hub.url, founder: standing?.pinnedFounder ?? hub.founder, retirement: standing?.pinnedRetirement ?? hub.retirement };
  throw new UserError(served.awaitingOrganiser ? 'join.firstOrganiserInvite' : 'join.inviteNeeded');
}
