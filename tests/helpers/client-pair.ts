import type { PhoneClient } from '../../src/client/phone.ts';
import { nodeClientPhone } from './client-platform.ts';
import { waitFor } from './wait-for.ts';

type NodeClient = ReturnType<typeof nodeClientPhone>;

/** Joins, retrying while the first find reports the doc unavailable before the socket is up. */
export async function joinRetrying(phone: PhoneClient, name: string, invite: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await phone.join(name, invite);
    } catch (err) {
      if (attempt >= 3 || !/communityUnavailable/.test(String(err))) throw err;
    }
  }
}

/**
 * Two phones built from src/client on one relay: Ana joins the relay's default community (its first
 * member), Ben joins with the invite her phone shows, and Ana's phone sees him in the directory.
 * `track` receives each phone so the caller's cleanup closes it even when a step fails. `names` gives
 * them longer names where a test scans bytes for them (three letters turn up in ciphertext by chance).
 */
export async function anaAndBen(relayUrl: string, track: (p: NodeClient) => void, names = { ana: 'Ana', ben: 'Ben' }): Promise<{ ana: NodeClient; ben: NodeClient; anaId: string; benId: string }> {
  const ana = nodeClientPhone(relayUrl);
  const ben = nodeClientPhone(relayUrl);
  track(ana);
  track(ben);
  await ana.phone.boot();
  await joinRetrying(ana.phone, names.ana, ''); // no invite: the relay's default community
  await waitFor(() => ana.phone.community.state.state.invite !== '', "Ana's invite");
  await ben.phone.boot();
  await joinRetrying(ben.phone, names.ben, ana.phone.community.state.state.invite);
  const benId = ben.phone.session.state.state.me!.agentId;
  const anaId = ana.phone.session.state.state.me!.agentId;
  await waitFor(() => ana.phone.community.state.state.members[benId] === names.ben, 'Ana sees Ben in the directory');
  return { ana, ben, anaId, benId };
}
