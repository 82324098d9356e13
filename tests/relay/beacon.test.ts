import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { encode } from 'cbor2';
import { afterEach, describe, expect, it } from 'vitest';
import { BeaconService, type BeaconServiceOptions } from '../../src/node/beacon-service.ts';
import { broadcastAddressOf, NoBroadcastAddressError } from '../../relay/contacts/broadcast.ts';
import type { ContactEvent } from '../../src/core/protocol/contact-event.ts';

const services: BeaconService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

async function service(node: string, opts: Partial<BeaconServiceOptions> = {}): Promise<BeaconService> {
  const s = new BeaconService({
    self: { node, port: 4556, mac: undefined },
    listenPort: 0,
    listenHost: '127.0.0.1',
    destination: { unicast: [] },
    intervalMs: 60_000,
    ...opts,
  });
  services.push(s);
  await s.start();
  return s;
}

function nextContact(s: BeaconService): Promise<ContactEvent> {
  return once(s, 'contact').then(([e]) => e as ContactEvent);
}

async function sendRaw(port: number, bytes: Uint8Array): Promise<void> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve, reject) => sock.send(bytes, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  sock.close();
}

describe('UDP beacons over 127.0.0.1 (unicast mode)', () => {
  it('Scenario: beacon heard brings a contact up (with the sender address and TCPCL port)', async () => {
    const b = await service('dtn://relay-b/');
    const a = new BeaconService({
      self: { node: 'dtn://relay-a/', port: 4601, mac: '02:5a:00:00:00:0a', island: 'north' },
      listenPort: 0,
      listenHost: '127.0.0.1',
      destination: { unicast: [{ host: '127.0.0.1', port: b.port() }] },
      intervalMs: 60_000,
    });
    services.push(a);
    const up = nextContact(b);
    await a.start();
    const e = await up;
    expect(e).toMatchObject({ kind: 'up', peer: 'dtn://relay-a/', source: 'beacon', address: { host: '127.0.0.1', port: 4601 } });
    expect(b.lookupMac('02:5A:00:00:00:0A')).toMatchObject({ node: 'dtn://relay-a/', island: 'north' });
  });

  it('Scenario: silent node goes down after three intervals', async () => {
    let now = 1_000_000;
    const b = await service('dtn://relay-b/', { now: () => now, intervalMs: 5000 });
    const up = nextContact(b);
    await sendRaw(b.port(), encode({ v: 1, node: 'dtn://relay-c/', port: 4700 }));
    await up;
    const events: ContactEvent[] = [];
    b.on('contact', (e) => events.push(e));
    now += 14_999;
    b.sweep();
    expect(events).toEqual([]);
    now += 2;
    b.sweep();
    expect(events).toMatchObject([{ kind: 'down', peer: 'dtn://relay-c/' }]);
    expect(b.peers()).toEqual([]);
  });

  it('Scenario: silent node goes down after three intervals (real timer)', async () => {
    const b = await service('dtn://relay-b/', { intervalMs: 40 });
    const up = nextContact(b);
    const t0 = Date.now();
    await sendRaw(b.port(), encode({ v: 1, node: 'dtn://relay-c/', port: 4700 }));
    await up;
    const down = await nextContact(b);
    expect(down.kind).toBe('down');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(120);
  });

  it('Scenario: own beacons are ignored', async () => {
    const a = await service('dtn://relay-a/');
    const self = new BeaconService({ self: { node: 'dtn://relay-a/', port: 1 }, listenPort: 0, listenHost: '127.0.0.1', destination: { unicast: [{ host: '127.0.0.1', port: a.port() }] } });
    services.push(self);
    const dropped = once(a, 'dropped');
    await self.start();
    expect(await dropped).toEqual(['own']);
    expect(a.stats.own).toBe(1);
    expect(a.peers()).toEqual([]);
  });

  it('Scenario: malformed or oversized datagrams are dropped and counted', async () => {
    const warnings: object[] = [];
    const b = await service('dtn://relay-b/', { logger: { warn: (o) => void warnings.push(o) } });
    const bad = [new Uint8Array(2000), new Uint8Array([0xff]), encode('hello'), encode({ v: 9, node: 'dtn://x/', port: 1 }), encode({ v: 1, node: 'dtn://x/', port: -1 })];
    let drops = 0;
    const allDropped = new Promise<void>((resolve) => b.on('dropped', () => ++drops === bad.length && resolve()));
    for (const d of bad) await sendRaw(b.port(), d);
    await allDropped;
    const good = nextContact(b);
    await sendRaw(b.port(), encode({ v: 1, node: 'dtn://after/', port: 9 }));
    expect((await good).peer).toBe('dtn://after/');
    expect(b.stats).toMatchObject({ oversized: 1, 'not-cbor': 1, 'not-a-map': 1, 'bad-version': 1, 'bad-field': 1, accepted: 1 });
    expect(warnings).toHaveLength(5);
  });

  it('Scenario: beacon table is bounded', async () => {
    const b = await service('dtn://relay-b/', { maxPeers: 3 });
    let handled = 0;
    const all = new Promise<void>((resolve) => {
      const count = () => ++handled === 10 && resolve();
      b.on('contact', count);
      b.on('dropped', count);
    });
    for (let i = 0; i < 10; i++) await sendRaw(b.port(), encode({ v: 1, node: `dtn://n${i}/`, port: 9 }));
    await all;
    expect(b.peers()).toHaveLength(3);
    expect(b.stats['table-full']).toBe(7);
  });

  it('Scenario: a node heard at a new address is re-announced (down then up)', async () => {
    const b = await service('dtn://relay-b/');
    const events: ContactEvent[] = [];
    b.on('contact', (e) => events.push(e));
    const two = new Promise<void>((resolve) => b.on('contact', () => events.length === 3 && resolve()));
    await sendRaw(b.port(), encode({ v: 1, node: 'dtn://c/', port: 9 }));
    await sendRaw(b.port(), encode({ v: 1, node: 'dtn://c/', port: 10 }));
    await two;
    expect(events.map((e) => `${e.kind}:${e.address?.port}`)).toEqual(['up:9', 'down:9', 'up:10']);
  });

  it('Scenario: broadcast address derived from the interface', () => {
    const nets = { bat0: [{ family: 'IPv4', address: '10.42.3.7', netmask: '255.255.0.0', internal: false } as never] };
    expect(broadcastAddressOf('bat0', nets)).toBe('10.42.255.255');
    expect(() => broadcastAddressOf('wlan9', nets)).toThrow(NoBroadcastAddressError);
  });
});
