import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RelayConfig } from './config.ts';
import { checkedPath, methodNotAllowed, sendJson, setSecurityHeaders } from './http-util.ts';
import type { Logger } from './log.ts';
import { RouteTable } from './route-table.ts';
import type { RelayService } from './service.ts';
import { serveStatic } from './static.ts';

/**
 * How long an idle keep-alive connection stays open. Node's default (5 s) races clients: a client
 * reuses a connection it believes open just as the relay closes it, and the request fails with
 * "other side closed" (seen from undici on a loaded machine, whose idle timer ran late). A longer
 * window makes that race rare; it holds nothing a stranger could not already hold with a socket that
 * never sends a request (headersTimeout, 60 s).
 */
const KEEP_ALIVE_MS = 65_000;

async function createHttpServer(cfg: RelayConfig, handler: http.RequestListener): Promise<http.Server> {
  const server = !cfg.tlsCert || !cfg.tlsKey
    ? http.createServer(handler)
    : await (async () => {
      const [cert, key] = await Promise.all([readFile(cfg.tlsCert!), readFile(cfg.tlsKey!)]);
      return https.createServer({ cert, key }, handler);
    })();
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  return server;
}

/** The query string of a request target, without a URL parser that could throw on a hostile target. */
function queryOf(url: string | undefined): URLSearchParams {
  const at = (url ?? '').indexOf('?');
  return new URLSearchParams(at < 0 ? '' : (url ?? '').slice(at + 1));
}

/**
 * HTTP(S) on cfg.host:cfg.port: every service's routes by the protocol table (relay/route-table.ts),
 * the app's files otherwise. It comes after the services it routes to in the registry, so it listens
 * only once they have started, and closes before them: no request reaches a closed service.
 */
export class HttpService implements RelayService {
  readonly name = 'http';
  private server?: http.Server;
  private table?: RouteTable;
  private listeningAt?: { url: string; port: number };

  constructor(
    private readonly cfg: RelayConfig,
    private readonly log: Logger,
    /** Every service of the relay (read at start, once the registry is complete). */
    private readonly services: () => readonly RelayService[],
  ) {}

  /** Whether it listens yet (address throws before). */
  get listening(): boolean {
    return this.listeningAt !== undefined;
  }

  /** Where the relay listens (the port chosen when cfg.port is 0). */
  get address(): { url: string; port: number } {
    if (!this.listeningAt) throw new Error('the HTTP service is not listening yet');
    return this.listeningAt;
  }

  async start(): Promise<void> {
    const { cfg, log } = this;
    const table = (this.table = new RouteTable(this.services()));
    const server = (this.server = await createHttpServer(cfg, (req, res) => {
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
    }));
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
    const port = (server.address() as AddressInfo).port;
    const url = `${cfg.tlsCert ? 'https' : 'http'}://${cfg.host === '0.0.0.0' ? 'localhost' : cfg.host}:${port}`;
    this.listeningAt = { url, port };
    log.info({ url, dataDir: cfg.dataDir, node: cfg.nodeName }, 'relay listening');
  }

  /**
   * Stops listening, ends every HTTP connection and waits for requests in flight. Phones' sockets left
   * HTTP at their upgrade: the sessions service closes those.
   */
  async close(): Promise<void> {
    if (!this.server) return;
    this.server.close();
    this.server.closeAllConnections();
    await this.table?.idle();
  }
}
