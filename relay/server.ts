import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Communities } from './communities.ts';
import type { RelayConfig } from './config.ts';
import type { Logger } from './log.ts';
import { createRelayRepo, type RelayRepo } from './repo.ts';
import { serveStatic } from './static.ts';
import { startDtn, type Dtn } from './dtn/index.ts';
import { handleInbox } from './inbox-http.ts';
import { checkedPath, methodNotAllowed, sendJson, setSecurityHeaders } from './http-util.ts';
import { RelayInbox } from './inbox.ts';
import { IslandAgents } from './island-agents.ts';
import { FeedViews } from './feed-views.ts';
import { nodeSignatureCheck } from './ed25519.ts';
import { useSignatureCheck } from '../src/core/crypto/sign.ts';
import { handleAlerts } from './alerts-http.ts';
import { RelayAlerts } from './alerts.ts';
import { mountLibrary } from './library-mount.ts';
import type { AutomergeUrl } from '@automerge/automerge-repo';
import { Route, type RelayInfo, type RelayStatus, type Suggestions } from '../src/core/protocol/routes.ts';

export interface Relay {
  url: string;
  port: number;
  rr: RelayRepo;
  communities: Communities;
  dtn: Dtn;
  /** Extra JSON for /api/status, contributed by subsystems such as the DTN node. */
  status: Map<string, () => unknown>;
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, body: unknown, status = 200): void => sendJson(res, status, body);

async function createHttpServer(cfg: RelayConfig, handler: http.RequestListener): Promise<http.Server> {
  if (!cfg.tlsCert || !cfg.tlsKey) return http.createServer(handler);
  const [cert, key] = await Promise.all([readFile(cfg.tlsCert), readFile(cfg.tlsKey)]);
  return https.createServer({ cert, key }, handler);
}

export async function startRelay(cfg: RelayConfig, log: Logger): Promise<Relay> {
  useSignatureCheck(nodeSignatureCheck());
  const rr = createRelayRepo(cfg.dataDir, cfg.maxMessageBytes, log);
  const communities = new Communities(rr, cfg.dataDir, log, cfg.communityRelay);
  await communities.load(cfg.communityName, cfg.join as AutomergeUrl[]);
  const status = new Map<string, () => unknown>();
  const dtn = await startDtn(cfg, rr, communities, log);
  status.set('dtn', () => dtn.node.status());
  status.set('replication', () => dtn.replicator.status());
  const inbox = new RelayInbox(dtn.node, log);
  inbox.start();
  // One reading of each member feed for discovery and the island agents alike.
  const feeds = new FeedViews();
  const islandAgents = new IslandAgents(rr, communities, cfg.agentsIntervalMs, log, feeds);
  islandAgents.start();
  // Rapid-response alerts (issue 8): emergency bundles to dtn://<community>/~alerts.
  const alerts = new RelayAlerts(dtn.node, (id) => communities.served.some((c) => c.id === id), log);
  await alerts.start();
  status.set('alerts', () => alerts.status());
  // Community library and discovery search across islands (issue 10).
  const libraryRoute = await mountLibrary(cfg, dtn, rr, communities, feeds, status, log);

  const api: Record<string, () => unknown> = {
    [Route.info]: (): RelayInfo => ({
      app: 'solarpunk-mesh',
      node: dtn.node.nodeId,
      tcpclPort: dtn.node.tcpclPort,
      /** This relay's key: what a community's relays list names it by. */
      relay: communities.relayKey.publicKey,
      communities: communities.served,
      secure: Boolean(cfg.tlsCert),
    }),
    [Route.status]: (): RelayStatus => ({
      unsaved: rr.unsaved(),
      phones: rr.wss.clients.size,
      ...Object.fromEntries([...status].map(([k, f]) => [k, f()])),
    }),
  };

  const server = await createHttpServer(cfg, (req, res) => {
    setSecurityHeaders(req, res);
    const path = checkedPath(req.url);
    if (path === undefined) return json(res, { error: 'malformed percent-encoding in the path' }, 400);
    const readOnly = req.method === 'GET' || req.method === 'HEAD';
    const route = api[path];
    if (route) return readOnly ? json(res, route()) : methodNotAllowed(res, 'GET, HEAD');
    if (path === Route.inbox || path.startsWith(`${Route.inbox}/`)) return void handleInbox(inbox, req, res, path, log);
    if (path === Route.suggestions) {
      if (!readOnly) return methodNotAllowed(res, 'GET, HEAD');
      const id = new URL(req.url ?? '/', 'http://x').searchParams.get('community') ?? '';
      return json(res, islandAgents.get(id) ?? ({ community: id, at: null, proposals: [] } satisfies Suggestions));
    }
    if (path === Route.alerts) return void handleAlerts(alerts, req, res, log);
    if (libraryRoute(req, res, path)) return;
    if (!readOnly) return methodNotAllowed(res, 'GET, HEAD');
    serveStatic(cfg.staticDir, path, req, res).catch((err) => {
      log.error({ err: String(err), path }, 'static file error');
      if (!res.headersSent) json(res, { error: 'internal error' }, 500);
      else res.destroy();
    });
  });

  server.on('upgrade', (req, socket: Duplex, head) => {
    if ((req.url ?? '').split('?')[0] !== Route.sync) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    rr.wss.handleUpgrade(req, socket, head, (ws) => rr.wss.emit('connection', ws, req));
  });
  server.on('clientError', (err, socket) => {
    log.debug({ err: err.message }, 'bad HTTP request');
    socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = cfg.tlsCert ? 'https' : 'http';
  const url = `${scheme}://${cfg.host === '0.0.0.0' ? 'localhost' : cfg.host}:${port}`;
  log.info({ url, dataDir: cfg.dataDir, node: cfg.nodeName }, 'relay listening');

  return {
    url,
    port,
    rr,
    communities,
    dtn,
    status,
    async close() {
      islandAgents.stop();
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await dtn.close();
      await rr.close();
    },
  };
}
