import '@automerge/automerge'; // registers the wasm automerge-repo's slim build needs
import { Repo, type AutomergeUrl } from '@automerge/automerge-repo';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../src/core/crypto/keys.ts';
import type { CommunityDoc } from '../../src/core/model/types.ts';
import { SessionWebSocketClientAdapter } from '../../src/platform/session-socket.ts';
import { relaySuite } from '../helpers/relay-suite.ts';
import { waitFor } from '../helpers/wait-for.ts';

// openspec/specs/island-sync, "One sync socket per phone" (change archived as 2026-12-05-one-socket).
const t = relaySuite();

describe('the phone session socket', () => {
  it('Scenario: a challenge answered after the socket opened does not replace it, and the phone syncs', async () => {
    const relay = await t.relay('one-socket');
    const info = (await (await fetch(`${relay.url}/api/info`)).json()) as { communities: Array<{ url: AutomergeUrl }> };
    const community = info.communities[0].url;
    // The first challenge is answered at once; any later one only after the first socket has joined, as
    // on a loaded relay that opens sockets slower than the phone's retry timer fires.
    let joined!: () => void;
    const firstJoined = new Promise<void>((resolve) => (joined = resolve));
    let challenges = 0;
    const fetchFn: typeof fetch = async (input, init) => {
      if (++challenges > 1) await firstJoined;
      return fetch(input, init);
    };
    const me = createIdentity();
    // A 1 ms retry interval: the timer fires before any socket can open and join.
    const network = new SessionWebSocketClientAdapter(`${relay.url.replace(/^http/, 'ws')}/sync`, 1, () => ({ identity: me, communityUrls: [community] }), fetchFn);
    const repo = new Repo({ network: [network] });
    try {
      await new Promise<void>((resolve) => network.once('peer-candidate', () => resolve()));
      const first = network.socket!;
      const firstUrl = network.url;
      expect(challenges).toBe(2); // the retry asked for a challenge while the first socket was opening
      joined();
      // The retry's challenge came back: the adapter took its URL and decided what to do with it.
      await waitFor(() => network.url !== firstUrl, "the retry's challenge is answered");
      expect(network.socket).toBe(first);
      expect(first.readyState).toBe(1); // open
      const handle = await repo.find<CommunityDoc>(community);
      expect(handle.doc().type).toBe('community');
      expect(challenges).toBe(2);
    } finally {
      await repo.shutdown();
    }
  });

  it('Scenario: a challenge that never comes back does not keep the phone off the hub', async () => {
    const relay = await t.relay('lost-challenge');
    const info = (await (await fetch(`${relay.url}/api/info`)).json()) as { communities: Array<{ url: AutomergeUrl }> };
    const community = info.communities[0].url;
    // The first challenge request is lost on the way (a link that went away mid-request): it is never
    // answered, and ends only when the phone gives up on it. Later ones are answered.
    let challenges = 0;
    let lostEnded = false;
    const fetchFn: typeof fetch = async (input, init) => {
      if (++challenges > 1) return fetch(input, init);
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener('abort', () => {
          lostEnded = true;
          reject(init.signal!.reason);
        }),
      );
    };
    const me = createIdentity();
    const network = new SessionWebSocketClientAdapter(`${relay.url.replace(/^http/, 'ws')}/sync`, 50, () => ({ identity: me, communityUrls: [community] }), fetchFn, 300);
    const repo = new Repo({ network: [network] });
    try {
      await waitFor(() => repo.peers.length > 0, 'the phone is the hub’s sync peer after its lost challenge');
      expect(lostEnded).toBe(true);
      expect(challenges).toBeGreaterThanOrEqual(2);
      const handle = await repo.find<CommunityDoc>(community);
      expect(handle.doc().type).toBe('community');
    } finally {
      await repo.shutdown();
    }
  });
});
