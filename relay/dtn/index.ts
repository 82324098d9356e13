import { AlertRaisers } from '../alert-raisers.ts';
import type { Communities } from '../communities.ts';
import type { RelayConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { RelayRepo } from '../repo.ts';
import { ContactManager } from './contacts.ts';
import { DtnNode } from './node.ts';
import { Replicator } from './replicator.ts';
import { nodeEndpoint } from '../../src/core/protocol/endpoints.ts';
import { isCommunityRelay } from './peer-trust.ts';
import { loadTcpclTls } from './tls-material.ts';
import { servedEndpoints } from './served-endpoints.ts';

export interface Dtn {
  node: DtnNode;
  replicator: Replicator;
  contacts: ContactManager;
  close(): Promise<void>;
}

/** The relay's DTN side: node (store + TCPCL + routing), CRDT replication, and contact sources. */
export async function startDtn(cfg: RelayConfig, rr: RelayRepo, communities: Communities, log: Logger): Promise<Dtn> {
  const node = await DtnNode.start(
    {
      nodeName: cfg.nodeName,
      dataDir: cfg.dataDir,
      tcpclHost: cfg.tcpclHost ?? cfg.host,
      tcpclPort: cfg.tcpclPort,
      byteBudget: cfg.storeBudget,
      hopLimit: cfg.hopLimit,
      keepaliveSec: cfg.keepalive,
      routing: { router: cfg.router, routes: cfg.route, overrides: new Map(cfg.routingFor), summaryWaitMs: cfg.summaryWaitMs, serves: () => servedEndpoints(communities) },
      tls: cfg.tcpclTls ? await loadTcpclTls(cfg.dataDir, communities.relayKey, nodeEndpoint(cfg.nodeName), log) : undefined,
    },
    log,
  );
  node.authenticated = (c) => isCommunityRelay(c, communities);
  const raisers = new AlertRaisers(communities, rr);
  node.alertFromRaiser = (b) => raisers.earnsEmergency(b);
  node.alertUnjudged = (b) => raisers.unjudged(b);
  const replicator = new Replicator(rr, communities, node, cfg.dataDir, log, cfg.missingAfterMs);
  await replicator.start();
  const contacts = new ContactManager(
    node,
    { peers: cfg.peer, reconnectMs: cfg.reconnectMs, beaconPort: cfg.beaconPort, beaconIface: cfg.beaconIface, beaconTo: cfg.beaconTo, beaconIntervalMs: cfg.beaconIntervalMs, beaconMac: cfg.beaconMac, bridgeSocket: cfg.bridgeSocket },
    log,
  );
  await contacts.start();
  return {
    node,
    replicator,
    contacts,
    async close() {
      await contacts.stop();
      await replicator.close();
      await node.close();
    },
  };
}
