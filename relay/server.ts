import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Communities, docId } from './communities.ts';
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
import type { WebSocket } from 'ws';
import { SESSION_PATH, SESSION_QUERY, SessionAuthError } from '../src/core/protocol/session-auth.ts';
import { CommunityDirectory } from './community-directory.ts';
import { SessionGate } from './session-gate.ts';
import { SyncAccess } from './sync-access.ts';
import { RequestVerifier } from './request-auth.ts';
import { DeploymentCheck } from './deployment-check.ts';
import { defaultOrigin } from './origin-check.ts';
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
  const status = new Map<string, () => unknown>();
  const directory = new CommunityDirectory();
  const access = new SyncAccess(directory);
  const rr = createRelayRepo(cfg.dataDir, cfg.maxMessageBytes, log, access);
  const communities = new Communities(rr, cfg.dataDir, log, cfg.communityRelay, cfg.origin);
  directory.bind(rr, communities);
  communities.on('doc', (id) => access.listed(id));
  await communities.load(cfg.communityName, cfg.join as AutomergeUrl[]);
  const gate = new SessionGate(directory, cfg.joinPolicy);
  status.set('sync', () => ({ joinPolicy: cfg.joinPolicy, ...access.counts }));
  const dtn = await startDtn(cfg, rr, communities, log);
  status.set('dtn', () => dtn.node.status());
  status.set('replication', () => dtn.replicator.status());
  const requests = new RequestVerifier();
  const inbox = new RelayInbox(dtn.node, log, requests, (key) => directory.isMemberAnywhere(key));
  inbox.start();
  // One reading of each member feed for discovery and the island agents alike.
  const feeds = new FeedViews();
  const islandAgents = new IslandAgents(rr, communities, cfg.agentsIntervalMs, log, feeds);
  islandAgents.start();
  // Rapid-response alerts (issue 8): emergency bundles to dtn://<community>/~alerts.
  const alerts = new RelayAlerts(dtn.node, (id) => communities.served.some((c) => c.id === id), log, (c, key) => directory.isMemberOf(c, key));
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
      // A community's URL is its invite: it is shown only where anyone may join anyway, or while nobody
      // has (the first person to join founds it). Phones with an invite never need it from here.
      communities: communities.served.map(({ url, ...c }) => ({
        ...c,
        ...(cfg.joinPolicy === 'open' || !directory.hasMembers(docId(url)) ? { url } : {}),
      })),
      joinPolicy: cfg.joinPolicy,
      secure: Boolean(cfg.tlsCert),
    }),
    [SESSION_PATH]: () => ({ challenge: gate.challenge() }),
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
    const url = new URL(req.url ?? '/', 'http://relay');
    if (url.pathname !== Route.sync) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    // The handshake is checked here, before automerge-repo sees the socket at all.
    let session;
    try {
      session = gate.admit(url.searchParams.get(SESSION_QUERY) ?? '');
    } catch (err) {
      const reason = err instanceof SessionAuthError ? err.message : 'bad session';
      log.info({ reason }, 'sync session refused');
      socket.end(`HTTP/1.1 401 Unauthorized\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${reason}\n`);
      return;
    }
    if (rr.phones.peerTaken(session)) {
      log.info({ peer: session.peer }, 'sync session refused: peer id held by another key');
      socket.end('HTTP/1.1 409 Conflict\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\npeer id in use\n');
      return;
    }
    const s = session;
    rr.wss.handleUpgrade(req, socket, head, (ws) => {
      rr.phones.attach(ws as unknown as WebSocket, s);
      rr.wss.emit('connection', ws, req);
    });
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
  const deployment = new DeploymentCheck(cfg.origin ?? defaultOrigin(cfg.host, port, Boolean(cfg.tlsCert)), cfg.tlsCert, () =>
    communities.served.map((c) => ({ id: c.id || c.url, origin: communities.view(c.url)?.settings.origin })),
  log);
  await deployment.start();
  status.set('deployment', () => deployment.status());

  return {
    url,
    port,
    rr,
    communities,
    dtn,
    status,
    async close() {
      deployment.close();
      islandAgents.stop();
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await dtn.close();
      await rr.close();
    },
  };
}
