import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHook } from 'node:async_hooks';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { cbor } from '@automerge/automerge-repo/slim';
import { pino } from 'pino';
import WebSocket from 'ws';
import { parseConfig } from '../../relay/config.ts';
import { startRelay } from '../../relay/server.ts';
import { Route, type RouteName } from '../../src/core/protocol/routes.ts';
import { ROOT, startRelayProcess } from '../helpers/relay-process.ts';
import { signedSyncUrl } from '../helpers/sync-session.ts';
import { within } from '../helpers/within.ts';

// openspec/changes/relay-services/specs/relay-services/spec.md

/** How long a relay may take to exit or let go of everything: a bound on a wait, not a speed claim. */
const BOUND_MS = 10_000;

/** A phone's socket that has sent a join (so the relay's per-message background work is armed). */
async function joinedPhone(relayUrl: string, peer: string): Promise<WebSocket> {
  const ws = new WebSocket(await signedSyncUrl(relayUrl, { peer }));
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const answered = new Promise((r) => ws.once('message', r));
  ws.send(cbor.encode({ type: 'join', senderId: peer, peerMetadata: {}, supportedProtocolVersions: ['1'] }));
  await answered;
  return ws;
}

describe('relay process lifecycle', () => {
  it('Scenario: SIGTERM stops a relay with a phone connected promptly and with exit code 0', async () => {
    const relay = await startRelayProcess({ args: ['--node-name', 'lifecycle'] });
    try {
      const phone = await joinedPhone(relay.url, 'lifecycle-phone');
      // An idle keep-alive HTTP connection too: neither may hold the relay open.
      const agent = new http.Agent({ keepAlive: true });
      await new Promise<void>((resolve, reject) => http.get(`${relay.url}${Route.status}`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject));
      const phoneClosed = new Promise((r) => phone.once('close', r));
      expect(await within(relay.stop('SIGTERM'), BOUND_MS, 'relay exit after SIGTERM')).toBe(0);
      await phoneClosed;
      agent.destroy();
      expect(relay.logs.join('\n')).not.toContain('unclean shutdown');
    } finally {
      await relay.cleanup();
    }
  });
});

describe('relay in-process lifecycle', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'spm-lifecycle-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('Scenario: a relay closed in-process leaves no timer, socket or file handle behind', async () => {
    // Timers are tracked by async hooks (unref'd ones too, which getActiveResourcesInfo does not list),
    // kept when the relay's code or its libraries made them; handles are compared by type.
    const own = new RegExp(`(${ROOT}/(relay|src)/|node_modules/(@automerge|ws)/)`);
    const timers = new Map<number, string>();
    const hook = createHook({
      init(id, type) {
        if (type !== 'Timeout' && type !== 'Immediate') return;
        const stack = new Error().stack ?? '';
        if (own.test(stack)) timers.set(id, `${type}\n${stack.split('\n').slice(3, 9).join('\n')}`);
      },
      destroy(id) {
        timers.delete(id);
      },
    });
    const count = () => {
      const n = new Map<string, number>();
      for (const r of process.getActiveResourcesInfo()) n.set(r, (n.get(r) ?? 0) + 1);
      return n;
    };
    const before = count();
    hook.enable();
    try {
      const cfg = parseConfig(['--host', '127.0.0.1', '--port', '0', '--tcpcl-port', '0', '--data-dir', dataDir, '--node-name', 'in-process', '--join-policy', 'open']);
      const relay = await startRelay(cfg, pino({ level: 'silent' }));
      const served = new Map<RouteName, string[]>();
      for (const s of relay.services) for (const r of Object.keys(s.routes ?? {}) as RouteName[]) served.set(r, [...(served.get(r) ?? []), s.name]);
      for (const r of Object.keys(Route) as RouteName[]) expect(served.get(r)?.length, `route ${r}`).toBe(1);

      const phone = await joinedPhone(relay.url, 'in-process-phone');
      for (const p of [Route.info, Route.status, Route.session, Route.suggestions, Route.library]) expect((await fetch(`${relay.url}${p}`)).status, p).toBe(200);
      expect(relay.status()).toMatchObject({ phones: 1, sync: { joinPolicy: 'open' } });
      const phoneClosed = new Promise((r) => phone.once('close', r));
      await relay.close();
      await within(phoneClosed, BOUND_MS, "the phone's socket closing");

      const leftOver = (): string[] => {
        const now = count();
        const handles = [...now].filter(([type, n]) => n > (before.get(type) ?? 0)).map(([type, n]) => `${n - (before.get(type) ?? 0)} more ${type}`);
        return [...handles, ...timers.values()];
      };
      // Sockets and files finish closing on the next turns of the event loop: poll, bounded.
      const deadline = Date.now() + BOUND_MS;
      while (leftOver().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(leftOver()).toEqual([]);
    } finally {
      hook.disable();
    }
  });
});
