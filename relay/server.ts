import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RelayConfig } from './config.ts';
import type { Logger } from './log.ts';
import { serveStatic } from './static.ts';
import { checkedPath, methodNotAllowed, sendJson, setSecurityHeaders } from './http-util.ts';
import { nodeSignatureCheck } from './ed25519.ts';
import { useSignatureCheck } from '../src/core/crypto/sign.ts';
import { closeServices, startServices } from './lifecycle.ts';
import { RouteTable } from './route-table.ts';
import type { RelayService } from './service.ts';
import { relayServices, statusOf } from './services.ts';
import type { RelayStatus } from '../src/core/protocol/routes.ts';

export interface Relay {
  url: string;
  port: number;
  /** Every service, in the order they started (relay/services.ts). */
  services: readonly RelayService[];
  /** What GET /api/status answers. */
  status(): RelayStatus;
  /** Stops taking requests, ends every connection, waits for requests in flight, closes the services in reverse. */
  close(): Promise<void>;
}

async function createHttpServer(cfg: RelayConfig, handler: http.RequestListener): Promise<http.Server> {
  if (!cfg.tlsCert || !cfg.tlsKey) return http.createServer(handler);
  const [cert, key] = await Promise.all([readFile(cfg.tlsCert), readFile(cfg.tlsKey)]);
  return https.createServer({ cert, key }, handler);
}

/** The query string of a request target, without a URL parser that could throw on a hostile target. */
function queryOf(url: string | undefined): URLSearchParams {
  const at = (url ?? '').indexOf('?');
  return new URLSearchParams(at < 0 ? '' : (url ?? '').slice(at + 1));
}

/** Starts every service, then answers HTTP(S) on cfg.host:cfg.port: routes by the table, the app's files otherwise. */
export async function startRelay(cfg: RelayConfig, log: Logger): Promise<Relay> {
  useSignatureCheck(nodeSignatureCheck());
  const services = relayServices(cfg, log);
  const table = new RouteTable(services);
  await startServices(services, log);

  let server: http.Server;
  try {
    server = await createHttpServer(cfg, (req, res) => {
      setSecurityHeaders(req, res);
      const path = checkedPath(req.url);
      if (path === undefined) return sendJson(res, 400, { error: 'malformed percent-encoding in the path' });
      if (table.dispatch({ req, res, path, query: queryOf(req.url) }, log)) return;
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD', 'method');
      serveStatic(cfg.staticDir, path, req, res).catch((err) => {
        log.error({ err: String(err), path }, 'static file error');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error', code: 'internal' });
        else res.destroy();
      });
    });
    server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
      const path = checkedPath(req.url);
      const upgrade = path === undefined ? undefined : table.upgrade(path);
      if (!upgrade) return void socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      upgrade(req, socket, head, queryOf(req.url));
    });
    server.on('clientError', (err, socket) => {
      log.debug({ err: err.message }, 'bad HTTP request');
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(cfg.port, cfg.host, () => resolve());
    });
  } catch (err) {
    await closeServices(services, log).catch(() => undefined);
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const scheme = cfg.tlsCert ? 'https' : 'http';
  const url = `${scheme}://${cfg.host === '0.0.0.0' ? 'localhost' : cfg.host}:${port}`;
  log.info({ url, dataDir: cfg.dataDir, node: cfg.nodeName }, 'relay listening');

  return {
    url,
    port,
    services,
    status: () => statusOf(services),
    async close() {
      // Stop taking connections and end the HTTP ones. Phones' sockets left HTTP at their upgrade, so
      // the server's close completes only once the services (the repo) have closed those too.
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await table.idle();
      try {
        await closeServices(services, log);
      } finally {
        await closed;
      }
    },
  };
}
