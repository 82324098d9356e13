import { rm } from 'node:fs/promises';
import { afterEach } from 'vitest';
import { presetRelayKey } from './relay-key.ts';
import type { AutomergeUrl } from '@automerge/automerge-repo';
import { NodePhone } from './phone-client.ts';
import { SessionRepo } from './session-repo.ts';
import { startRelayProcess, type RelayProcess } from './relay-process.ts';

/** Quick keepalives and redials, so contacts come and go within a test's time. */
export const FAST = ['--keepalive', '1', '--reconnect-ms', '200'];

/**
 * What relay test files share: named relay processes and Node phones, all torn down after each test.
 * Call at the top level of a test file.
 */
export function relaySuite() {
  const running: RelayProcess[] = [];
  const phones: Array<NodePhone | SessionRepo> = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const p of phones.splice(0)) await p.close().catch(() => undefined);
    for (const r of running.splice(0)) await r.cleanup();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  const suite = {
    async relay(name: string, args: string[] = [], dataDir?: string): Promise<RelayProcess> {
      const r = await startRelayProcess({ dataDir, args: ['--node-name', name, ...FAST, ...args] });
      running.push(r);
      return r;
    },
    /**
     * A data dir with a relay key made in advance (removed after the test): start the founding relay
     * with ['--community-relay', key] and this one on `dataDir`, and the founder applies its change-sets.
     */
    async presetKey(): Promise<{ dataDir: string; key: string }> {
      const k = await presetRelayKey();
      dirs.push(k.dataDir);
      return k;
    },
    /** Stops a relay (its data dir stays, for a restart on the same disk). */
    async stop(r: RelayProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
      const code = await r.stop(signal);
      running.splice(running.indexOf(r), 1);
      return code;
    },
    /** A phone on this relay, or on an address whose route moves between relays (moving-link.ts). */
    phone(r: RelayProcess | { url: string }): NodePhone {
      const p = new NodePhone(r.url);
      phones.push(p);
      return p;
    },
    /** A raw client holding an invite to `community` that never joins (see session-repo.ts). */
    reader(r: RelayProcess, community: AutomergeUrl): SessionRepo {
      const p = new SessionRepo(r.url, [community]);
      phones.push(p);
      return p;
    },
    async close(p: NodePhone): Promise<void> {
      await p.close();
      phones.splice(phones.indexOf(p), 1);
    },
    /** A phone joined to the relay's community (the URL /api/info shows, or `community`). */
    async member(r: RelayProcess, name: string, community?: AutomergeUrl): Promise<NodePhone> {
      const p = suite.phone(r);
      await p.join(name, community);
      return p;
    },
  };
  return suite;
}
