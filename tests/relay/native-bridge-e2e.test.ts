// End to end for the native bridge. The bridge service runs as a real process but with a STAND-IN
// batctl (native-bridge/fixtures/fake-batctl.sh) replaying batctl 2023.0 recordings, because this
// machine has no batman-adv kernel module. Everything else is real: two relay processes, UDP beacons,
// the Unix socket, TCPCLv4 sessions on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endChild } from '../helpers/child.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { ROOT, startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';

const FAKE_BATCTL = path.join(ROOT, 'native-bridge/fixtures/fake-batctl.sh');
const B_MAC = '02:5a:00:00:00:0b'; // the originator in the 'one-node' recording
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('native bridge → relay', () => {
  it('Scenario: a neighbour appearing in batman-adv makes the relay open a TCPCL session to the relay its beacon names, and bundles flow; losing it closes the session', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spm-nb-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const sock = path.join(dir, 'bridge.sock');
    const scenario = path.join(dir, 'scenario');
    await writeFile(scenario, 'empty');
    const beaconPort = await freeUdpPort();

    const a: RelayProcess = await startRelayProcess({ args: ['--node-name', 'island-a', '--keepalive', '1', '--bridge-socket', sock] });
    cleanups.push(() => a.cleanup());
    const b: RelayProcess = await startRelayProcess({
      args: ['--node-name', 'island-b', '--keepalive', '1', '--beacon-port', String(await freeUdpPort()), '--beacon-to', `127.0.0.1:${beaconPort}`, '--beacon-interval-ms', '200', '--beacon-mac', B_MAC],
    });
    cleanups.push(() => b.cleanup());

    const bridge: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', 'native-bridge/main.ts', '--relay-socket', sock, '--batctl', FAKE_BATCTL, '--poll-ms', '100', '--up-after', '2', '--down-after-ms', '500', '--beacon-port', String(beaconPort), '--node-name', 'island-a'],
      { cwd: ROOT, env: { ...process.env, FAKE_BATCTL_SCENARIO_FILE: scenario }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    cleanups.push(() => endChild(bridge));

    const heldByB = (await dtnStatus(b.url)).store.count;
    await writeFile(scenario, 'one-node'); // batman-adv now lists B's node as an originator
    await expect.poll(async () => (await dtnStatus(a.url)).contacts.map((c) => c.peer), { timeout: 20_000 }).toContain('dtn://island-b/');
    // A's own bundles (its community's change-sets) reach B over that session.
    await expect.poll(async () => (await dtnStatus(b.url)).store.count, { timeout: 20_000 }).toBeGreaterThan(heldByB);
    expect((await dtnStatus(b.url)).peersSeen).toContain('dtn://island-a/');

    await writeFile(scenario, 'empty'); // the node left the mesh
    await expect.poll(async () => (await dtnStatus(a.url)).contacts.map((c) => c.peer), { timeout: 20_000 }).not.toContain('dtn://island-b/');
    await expect.poll(() => a.logs.some((l) => l.includes('"contact event"') && l.includes('"down"'))).toBe(true);
  });
});
