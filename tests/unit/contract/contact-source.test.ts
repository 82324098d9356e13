/**
 * The ContactSource contract run against every source the relay and bridge use, each on its real
 * transport: UDP datagrams on 127.0.0.1, a Unix socket in a temp dir, and a batctl child process.
 * The batctl run is a STAND-IN (native-bridge/fixtures/fake-batctl.sh) replaying recorded batctl
 * 2023.0 outputs, because this machine has no batman-adv kernel module.
 */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from 'cbor2';
import { BatmanMonitor } from '../../../native-bridge/monitor.ts';
import { BeaconService } from '../../../src/node/beacon-service.ts';
import { BridgeSocketSource } from '../../../relay/contacts/bridge-socket.ts';
import { RECORDINGS, FAKE_BATCTL } from '../native-bridge/fixtures.ts';
import { runContactSourceContract } from './contact-source-suite.ts';

async function datagram(port: number, bytes: Uint8Array): Promise<void> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve, reject) => sock.send(bytes, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  sock.close();
}

runContactSourceContract('BeaconService over UDP', async () => {
  let now = 1_000_000;
  const intervalMs = 5000;
  const source = new BeaconService({
    self: { node: 'dtn://relay-a/', port: 4556 },
    listenPort: 0,
    listenHost: '127.0.0.1',
    destination: { unicast: [] },
    intervalMs,
    now: () => now,
  });
  return {
    kind: 'beacon',
    source,
    appear: () => datagram(source.port(), encode({ v: 1, node: 'dtn://relay-c/', port: 4700 })),
    async vanish() {
      // Silence for three intervals is what "gone" means for beacons; the clock is injected.
      now += 3 * intervalMs + 1;
      source.sweep();
    },
    async hostile() {
      const dropped = once(source, 'dropped');
      await datagram(source.port(), Uint8Array.of(0xff, 0x00, 0x13, 0x37));
      await dropped;
    },
    teardown: async () => {},
  };
});

runContactSourceContract('BridgeSocketSource over a Unix socket', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'spm-contract-sock-'));
  const sockPath = path.join(dir, 'bridge.sock');
  const source = new BridgeSocketSource(sockPath);
  const clients: Socket[] = [];
  const open = async (): Promise<Socket> => {
    const c = connect(sockPath);
    clients.push(c);
    await once(c, 'connect');
    return c;
  };
  let bridge: Socket | undefined;
  return {
    kind: 'batman',
    source,
    async appear() {
      bridge = await open();
      bridge.write(`${JSON.stringify({ kind: 'up', peer: 'mac:02:5a:00:00:00:0b', source: 'batman', linkQuality: 238, at: 1 })}\n`);
    },
    async vanish() {
      // A bridge that goes away takes its contacts with it.
      bridge?.end();
    },
    async hostile() {
      const c = await open();
      const rejected = once(source, 'rejected');
      c.write('{"kind":"up","peer":"dtn://../../etc/","source":"batman","at":1}\n');
      await rejected;
      const overlong = once(source, 'rejected');
      c.write('x'.repeat(10_000));
      await overlong;
    },
    async teardown() {
      for (const c of clients) c.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

runContactSourceContract('BatmanMonitor over a stand-in batctl', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'spm-contract-batctl-'));
  // The recordings plus one scenario of our own: batctl answering garbage.
  const fixtures = path.join(dir, 'fixtures');
  await cp(RECORDINGS, fixtures, { recursive: true });
  await cp(path.join(RECORDINGS, 'one-node'), path.join(fixtures, 'garbage'), { recursive: true });
  await writeFile(path.join(fixtures, 'garbage', 'originators_json.out'), '{"originators": [{"orig_address": 7, \u0000');
  const scenarioFile = path.join(dir, 'scenario');
  await writeFile(scenarioFile, 'empty');
  let now = 1_000_000;
  const source = new BatmanMonitor({
    batctlPath: FAKE_BATCTL,
    env: { ...process.env, FAKE_BATCTL_SCENARIO_FILE: scenarioFile, FAKE_BATCTL_FIXTURES: fixtures },
    now: () => now,
    upAfterPolls: 2,
    downAfterMs: 5000,
    // The harness drives the polls; the monitor's own timer must not fire during a test.
    pollIntervalMs: 3_600_000,
  });
  const poll = async (scenario: string, times: number, stepMs: number) => {
    await writeFile(scenarioFile, scenario);
    for (let i = 0; i < times; i++) {
      now += stepMs;
      await source.pollOnce();
    }
  };
  return {
    kind: 'batman',
    source,
    appear: () => poll('one-node', 2, 2000),
    vanish: () => poll('empty', 1, 5001),
    async hostile() {
      const failed = once(source, 'batctl-error');
      await poll('garbage', 2, 2000);
      await failed;
    },
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
});
