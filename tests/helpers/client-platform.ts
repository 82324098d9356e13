import { Repo } from '@automerge/automerge-repo';
import type { Repo as SlimRepo } from '@automerge/automerge-repo/slim';
import { runAgentJob } from '../../src/client/agents-job.ts';
import { memoryStore } from '../../src/client/memory-store.ts';
import { PhoneClient } from '../../src/client/phone.ts';
import type { Platform } from '../../src/client/ports.ts';
import { SessionWebSocketClientAdapter } from '../../src/platform/session-socket.ts';
import { untilPeer } from './until-peer.ts';

/**
 * The phone's real logic (src/client) in Node, against a real relay: its repo syncs over the relay's
 * WebSocket, its HTTP calls go to the relay with Node's fetch, storage is in memory (nothing persists),
 * agents run inline and the page's reloads are only counted.
 */
export interface NodeClientPhone {
  phone: PhoneClient;
  /** The phone's repo and its socket once it has started (tests look at the raw docs the phone holds). */
  repo(): Repo | undefined;
  network(): SessionWebSocketClientAdapter | undefined;
  close(): Promise<void>;
}

export function nodeClientPhone(relayUrl: string): NodeClientPhone {
  // The repo starts when the phone opens it, with the credentials its sync sessions are signed for (as the
  // PWA's does): a socket opened before that would only be refused.
  let repo: Repo | undefined;
  let socket: SessionWebSocketClientAdapter | undefined;
  const platform: Platform = {
    relay: { base: relayUrl, fetch: (input, init) => fetch(input, init) },
    openRepo: async (_dataKey, credentials) => {
      const network = (socket = new SessionWebSocketClientAdapter(`${relayUrl.replace(/^http/, 'ws')}/sync`, 500, credentials));
      const r = new Repo({ network: [network], shareConfig: { announce: async () => true, access: async () => true } });
      network.attachRepo(r);
      repo = r;
      // The relay is a peer before the first find, or that find reports the community unavailable.
      await untilPeer(r, network);
      return {
        repo: r as unknown as SlimRepo,
        onPeer: (fn) => {
          network.on('peer-candidate', fn);
          if (r.peers.length) fn(); // connected before anyone listened
        },
        onDisconnect: (fn) => network.on('peer-disconnected', fn),
        onRefused: (fn) => (network.onRefused = fn),
      };
    },
    runAgents: async (job) => runAgentJob(job),
    page: { reload: () => undefined, reloadIntoWipe: () => undefined, deleteDocs: async () => undefined, afterPaint: async () => undefined },
    device: { online: () => true, onOnlineChange: () => undefined, onActivity: () => undefined },
    notify: () => undefined,
    signatureCheck: async () => undefined,
  };
  const phone = new PhoneClient(platform, memoryStore());
  return {
    phone,
    repo: () => repo,
    network: () => socket,
    async close() {
      phone.stop();
      await repo?.flush();
      await repo?.shutdown();
    },
  };
}
