import { Repo } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import type { Repo as SlimRepo } from '@automerge/automerge-repo/slim';
import { runAgentJob } from '../../src/client/agents-job.ts';
import { memoryStore } from '../../src/client/memory-store.ts';
import { PhoneClient } from '../../src/client/phone.ts';
import type { Platform } from '../../src/client/ports.ts';

/**
 * The phone's real logic (src/client) in Node, against a real relay: its repo syncs over the relay's
 * WebSocket, its HTTP calls go to the relay with Node's fetch, storage is in memory (nothing persists),
 * agents run inline and the page's reloads are only counted.
 */
export function nodeClientPhone(relayUrl: string): { phone: PhoneClient; repo: Repo; close(): Promise<void> } {
  const network = new WebSocketClientAdapter(`${relayUrl.replace(/^http/, 'ws')}/sync`, 500);
  const repo = new Repo({ network: [network], shareConfig: { announce: async () => true, access: async () => true } });
  const platform: Platform = {
    relay: { base: relayUrl, fetch: (input, init) => fetch(input, init) },
    // The socket is up before the first find, or that find reports the community unavailable.
    openRepo: async () => (await network.whenReady(), {
      repo: repo as unknown as SlimRepo,
      onPeer: (fn) => {
        network.on('peer-candidate', fn);
        if (repo.peers.length) fn(); // connected before anyone listened
      },
      onDisconnect: (fn) => network.on('peer-disconnected', fn),
    }),
    runAgents: async (job) => runAgentJob(job),
    page: { reload: () => undefined, reloadIntoWipe: () => undefined, deleteDocs: async () => undefined, afterPaint: async () => undefined },
    device: { online: () => true, onOnlineChange: () => undefined, onActivity: () => undefined },
    notify: () => undefined,
    signatureCheck: async () => undefined,
  };
  const phone = new PhoneClient(platform, memoryStore());
  return {
    phone,
    repo,
    async close() {
      phone.stop();
      await repo.flush();
      await repo.shutdown();
    },
  };
}
