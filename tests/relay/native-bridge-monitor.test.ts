// The batctl run here is a STAND-IN (native-bridge/fixtures/fake-batctl.sh) replaying recorded
// batctl 2023.0 outputs, because this machine has no batman-adv kernel module. It is still spawned
// as a real child process by the monitor, exactly as the real batctl would be.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encode } from 'cbor2';
import { BatctlClient } from '../../native-bridge/batctl/client.ts';
import type { BatctlError } from '../../native-bridge/batctl/errors.ts';
import { BatmanMonitor, type BatmanMonitorOptions } from '../../native-bridge/monitor.ts';
import { BeaconService } from '../../src/node/beacon-service.ts';
import type { ContactEvent } from '../../src/core/protocol/contact-event.ts';
import { FAKE_BATCTL } from '../unit/native-bridge/fixtures.ts';

const B = '02:5a:00:00:00:0b';
let dir: string;
let scenarioFile: string;
let now: number;
const cleanup: Array<() => Promise<void>> = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nb-monitor-'));
  scenarioFile = path.join(dir, 'scenario');
  now = 1_000_000;
});
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
  await rm(dir, { recursive: true, force: true });
});

const scenario = (name: string) => writeFile(scenarioFile, name);

function monitor(opts: Partial<BatmanMonitorOptions> = {}): { m: BatmanMonitor; events: ContactEvent[] } {
  const m = new BatmanMonitor({
    batctlPath: FAKE_BATCTL,
    env: { ...process.env, FAKE_BATCTL_SCENARIO_FILE: scenarioFile, FAKE_BATCTL_LOG: path.join(dir, 'calls') },
    now: () => now,
    ...opts,
  });
  const events: ContactEvent[] = [];
  m.on('contact', (e) => events.push(e));
  cleanup.push(() => m.stop());
  return { m, events };
}

/** A real UDP beacon from relay-b (carrying its originator MAC) into a listening BeaconService. */
async function beaconTableWithRelayB(): Promise<BeaconService> {
  const table = new BeaconService({ self: { node: 'dtn://relay-a/', port: 4556 }, listenPort: 0, listenHost: '127.0.0.1', destination: { unicast: [] }, send: false });
  cleanup.push(() => table.stop());
  await table.start();
  const heard = once(table, 'peer');
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.send(encode({ v: 1, node: 'dtn://relay-b/', port: 4600, mac: B }), table.port(), '127.0.0.1', () => r()));
  s.close();
  await heard;
  return table;
}

describe('batman monitor driving the stand-in batctl (no kernel module here)', () => {
  it("Scenario: replayed neighbour appearance yields a contact up with the beacon's relay address", async () => {
    const directory = await beaconTableWithRelayB();
    const { m, events } = monitor({ directory });
    await scenario('empty');
    expect(await m.pollOnce()).toEqual([]);
    await scenario('one-node');
    now += 2000;
    expect(await m.pollOnce()).toEqual([]); // seen once: not yet (N = 2)
    now += 2000;
    expect(await m.pollOnce()).toEqual([
      { kind: 'up', peer: 'dtn://relay-b/', address: { host: '127.0.0.1', port: 4600 }, source: 'batman', linkQuality: 238, at: now },
    ]);
    expect(events).toHaveLength(1);
    expect(m.client.currentFormat()).toBe('json');
  });

  it('Scenario: replayed neighbour loss yields contact down (stale originator kept by batman-adv counts as gone)', async () => {
    const { m, events } = monitor();
    await scenario('one-node');
    await m.pollOnce();
    now += 2000;
    await m.pollOnce();
    expect(events.map((e) => `${e.kind} ${e.peer}`)).toEqual([`up mac:${B}`]);
    await scenario('stale');
    for (let i = 0; i < 4; i++) {
      now += 2000;
      await m.pollOnce();
    }
    expect(events).toHaveLength(1); // 8 s unseen < 10 s
    now += 2000;
    await m.pollOnce();
    expect(events.map((e) => `${e.kind} ${e.peer}`)).toEqual([`up mac:${B}`, `down mac:${B}`]);
  });

  it('Scenario: node named by a later beacon is re-announced', async () => {
    const { m, events } = monitor({ upAfterPolls: 1 });
    await scenario('one-node');
    await m.pollOnce();
    expect(events.map((e) => e.peer)).toEqual([`mac:${B}`]);
    const directory = await beaconTableWithRelayB();
    m.setDirectory(directory);
    now += 2000;
    await m.pollOnce();
    expect(events.map((e) => `${e.kind} ${e.peer}`)).toEqual([`up mac:${B}`, `down mac:${B}`, 'up dtn://relay-b/']);
    expect(m.current()).toMatchObject([{ kind: 'up', peer: 'dtn://relay-b/', address: { port: 4600 } }]);
  });

  it('Scenario: missing kernel module is reported as module-missing (and up contacts still time out)', async () => {
    const { m, events } = monitor({ upAfterPolls: 1, downAfterMs: 3000 });
    const errors: BatctlError[] = [];
    m.on('batctl-error', (e) => errors.push(e));
    await scenario('one-node');
    await m.pollOnce();
    await scenario('no-module');
    now += 2000;
    await m.pollOnce();
    expect(errors[0].kind).toBe('module-missing');
    expect(m.lastError?.hint).toMatch(/modprobe batman_adv/);
    now += 2000;
    await m.pollOnce();
    expect(events.map((e) => e.kind)).toEqual(['up', 'down']);
  });

  it('Scenario: missing mesh interface is reported as interface-missing', async () => {
    const c = new BatctlClient({ batctlPath: FAKE_BATCTL, env: { ...process.env, FAKE_BATCTL_SCENARIO: 'missing-interface' } });
    await expect(c.neighbors()).rejects.toMatchObject({ name: 'BatctlError', kind: 'interface-missing' });
    await expect(c.originators()).rejects.toMatchObject({ kind: 'interface-missing' });
  });

  it('Scenario: missing batctl binary is reported as batctl-missing', async () => {
    const c = new BatctlClient({ batctlPath: path.join(dir, 'no-such-batctl') });
    await expect(c.originators()).rejects.toMatchObject({ kind: 'batctl-missing' });
  });

  it('Scenario: batctl without JSON queries falls back to text', async () => {
    const { m, events } = monitor();
    await scenario('no-json');
    await m.pollOnce();
    now += 2000;
    await m.pollOnce();
    expect(m.client.currentFormat()).toBe('text');
    expect(events.map((e) => `${e.kind} ${e.peer} ${e.linkQuality}`)).toEqual([`up mac:${B} 238`]);
    const calls = (await readFile(path.join(dir, 'calls'), 'utf8')).trim().split('\n');
    expect(calls).toEqual(['meshif bat0 originators_json', '-v', 'meshif bat0 originators -n', 'meshif bat0 originators -n']);
  });

  it('Scenario: neighbours scope reads the neighbour table (text and JSON)', async () => {
    for (const format of ['json', 'text'] as const) {
      const { m, events } = monitor({ scope: 'neighbors', upAfterPolls: 1, format });
      await scenario('two-nodes');
      await m.pollOnce();
      expect(events.map((e) => e.peer).sort()).toEqual([`mac:${B}`, 'mac:02:5a:00:00:00:0c']);
    }
  });

  it('Scenario: this node mesh identity is read from mesh_json', async () => {
    const c = new BatctlClient({ batctlPath: FAKE_BATCTL, env: { ...process.env, FAKE_BATCTL_SCENARIO: 'one-node' } });
    expect(await c.meshInfo()).toMatchObject({ meshIface: 'bat0', originatorAddress: '02:5a:00:00:00:0a', primaryIface: 'wlan0', algo: 'BATMAN_IV' });
  });

  it('Scenario: monitor loop polls on its own timer', async () => {
    const { m } = monitor({ pollIntervalMs: 20, now: Date.now });
    await scenario('one-node');
    const up = once(m, 'contact');
    await m.start();
    const [e] = (await up) as [ContactEvent];
    expect(e).toMatchObject({ kind: 'up', peer: `mac:${B}`, source: 'batman' });
    await m.stop();
  });
});
