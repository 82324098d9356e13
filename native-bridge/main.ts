// Native bridge service: watches batman-adv and tells the relay about contacts over a Unix socket.
//   node --import tsx native-bridge/main.ts --relay-socket /run/solarpunk/bridge.sock
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_BEACON_PORT } from '../src/core/protocol/beacon.ts';
import type { ContactEvent } from '../src/core/protocol/contact-event.ts';
import { nodeEndpoint } from '../src/core/protocol/endpoints.ts';
import { BeaconService } from '../src/node/beacon-service.ts';
import { createLogger } from './log.ts';
import { BatmanMonitor } from './monitor.ts';
import { SocketSink } from './socket-sink.ts';

function int(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

const program = new Command('solarpunk-bridge')
  .description('Watch batman-adv neighbours/originators and report contact up/down to the relay')
  .option('--relay-socket <path>', 'relay Unix socket to send contact events to (JSON lines)')
  .option('--stdout', 'also print contact events on stdout as JSON lines', false)
  .option('--batctl <path>', 'batctl binary', 'batctl')
  .option('--mesh-iface <name>', 'batman-adv mesh interface', 'bat0')
  .option('--format <fmt>', 'batctl output: auto | json | text', 'auto')
  .option('--scope <scope>', 'originators (whole mesh) | neighbors (one hop)', 'originators')
  .option('--poll-ms <ms>', 'poll interval', int, 2000)
  .option('--up-after <polls>', 'consecutive sightings before a contact is up', int, 2)
  .option('--down-after-ms <ms>', 'unseen time before a contact is down', int, 10_000)
  .option('--stale-after-ms <ms>', 'batman last-seen above this counts as absent', int, 5000)
  .option('--beacon-port <port>', 'UDP port to learn relay addresses from beacons (0 = off)', int, DEFAULT_BEACON_PORT)
  .option('--node-name <name>', "this node's relay name, so its own beacons are ignored");

async function main(): Promise<void> {
  const o = program.parse().opts();
  if (!['auto', 'json', 'text'].includes(o.format)) throw new InvalidArgumentError('--format');
  if (!['originators', 'neighbors'].includes(o.scope)) throw new InvalidArgumentError('--scope');
  const log = createLogger();
  const beacons =
    o.beaconPort > 0
      ? new BeaconService({
          self: { node: nodeEndpoint(o.nodeName ?? 'native-bridge'), port: 1 },
          listenPort: o.beaconPort,
          destination: { unicast: [] },
          send: false,
          reuseAddr: true,
          logger: log,
        })
      : undefined;
  const monitor = new BatmanMonitor({
    batctlPath: o.batctl,
    meshIface: o.meshIface,
    format: o.format,
    scope: o.scope,
    pollIntervalMs: o.pollMs,
    upAfterPolls: o.upAfter,
    downAfterMs: o.downAfterMs,
    staleAfterMs: o.staleAfterMs,
    directory: beacons,
    logger: log,
  });
  const sink = o.relaySocket ? new SocketSink({ path: o.relaySocket, snapshot: () => monitor.current(), logger: log }) : undefined;
  monitor.on('contact', (e: ContactEvent) => {
    log.info(e, 'contact');
    sink?.send(e);
    if (o.stdout) process.stdout.write(JSON.stringify(e) + '\n');
  });
  await beacons?.start();
  sink?.start();
  await monitor.start();
  const shutdown = async () => {
    await monitor.stop();
    await sink?.stop();
    await beacons?.stop();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((e) => {
  process.stderr.write(`solarpunk-bridge: ${(e as Error).message}\n`);
  process.exit(2);
});
