import { chmod, rm } from 'node:fs/promises';
import http from 'node:http';
import { decodeBundle, isValidEid, Priority, isPriority, type Bundle } from '../../src/core/dtn/index.ts';
import { LIFETIME_MS } from '../../src/core/protocol/priority.ts';
import type { RelayConfig } from '../config.ts';
import type { DtnService } from '../dtn-service.ts';
import { readBody, sendJson } from '../http-util.ts';
import type { Logger } from '../log.ts';
import { Refusal } from '../refusal.ts';
import type { RelayService } from '../service.ts';
import { adminSocketPath, MAX_SOCKET_PATH } from './admin-socket.ts';

/** Largest file `send` hands over as one bundle (the store may refuse less, and says so). */
export const MAX_SEND_BYTES = 64 * 1024 * 1024;
const MAX_LIFETIME_MS = 365 * 24 * 3600e3;
/** Longest `recv --wait`: an operator's script asks again rather than hold a request for hours. */
export const MAX_RECV_WAIT_MS = 600_000;
/** `recv --wait` requests waiting at once; more are refused (each holds a listener on the node). */
const MAX_WAITERS = 32;

/**
 * The operator's endpoint on the running relay (admin-socket.ts says why a Unix socket): hand a file
 * over as a bundle (`POST /send`), list stored bundles (`GET /bundles`), read one's payload
 * (`GET /payload`), list peers and routing (`GET /peers`). Every parameter is checked; a bad one is a
 * 400 with a plain reason.
 */
export class AdminService implements RelayService {
  readonly name = 'admin';
  private server?: http.Server;
  private socketPath?: string;
  private waiters = 0;

  constructor(
    private readonly cfg: Pick<RelayConfig, 'dataDir'>,
    private readonly dtn: DtnService,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const socketPath = adminSocketPath(this.cfg.dataDir);
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
      this.log.warn({ socketPath }, 'data directory path too long for the operator socket: send/recv/query will not reach this relay');
      return;
    }
    // A socket left by a relay that was killed: the data-dir lock says no relay uses it now.
    await rm(socketPath, { force: true });
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        const r = err instanceof Refusal ? err : undefined;
        if (!r) this.log.error({ err: String(err) }, 'operator request failed');
        if (!res.headersSent) sendJson(res, r?.status ?? 500, { error: r?.message ?? 'internal error', code: r?.code });
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    await chmod(socketPath, 0o600);
    this.server = server;
    this.socketPath = socketPath;
    this.log.info({ socketPath }, 'operator socket listening');
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (this.socketPath) await rm(this.socketPath, { force: true });
  }

  /**
   * Resolves when a bundle for `endpoint` arrives from a peer, after `ms`, or when the operator's
   * client goes away, whichever is first. Listed right after: the node emits 'deliver' once the
   * bundle is in the store.
   */
  private arrival(endpoint: string, ms: number, res: http.ServerResponse): Promise<void> {
    if (this.waiters >= MAX_WAITERS) throw new Refusal(503, 'busy', `at most ${MAX_WAITERS} recv --wait at once`);
    const node = this.dtn.node;
    this.waiters++;
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        node.off('deliver', onDeliver);
        res.off('close', done);
        this.waiters--;
        resolve();
      };
      const onDeliver = (b: Bundle) => {
        if (b.primary.destination === endpoint) done();
      };
      const timer = setTimeout(done, ms);
      node.on('deliver', onDeliver);
      res.on('close', done);
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://admin');
    const q = url.searchParams;
    const node = this.dtn.node;
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /peers': {
        const s = node.status();
        return sendJson(res, 200, { node: s.node, routing: s.routing, contacts: s.contacts, peersSeen: s.peersSeen });
      }
      case 'GET /bundles': {
        const endpoint = q.get('endpoint') ?? undefined;
        if (endpoint !== undefined && !isValidEid(endpoint)) throw new Refusal(400, 'bad-endpoint', 'not an endpoint ID (dtn://node/service or ipn:node.service)');
        const wait = Number(q.get('wait') ?? 0);
        if (!Number.isInteger(wait) || wait < 0 || wait > MAX_RECV_WAIT_MS) throw new Refusal(400, 'bad-wait', `wait: whole milliseconds from 0 to ${MAX_RECV_WAIT_MS}`);
        if (wait > 0 && endpoint === undefined) throw new Refusal(400, 'bad-wait', 'wait needs an endpoint to wait for');
        const list = () => node.store.list(endpoint ? { destination: endpoint } : {});
        let bundles = list();
        if (bundles.length === 0 && wait > 0 && endpoint !== undefined) {
          await this.arrival(endpoint, wait, res);
          bundles = list();
        }
        return sendJson(res, 200, { bundles: bundles.map((m) => ({ id: m.id, source: m.source, destination: m.destination, size: m.size, priority: m.priority, audience: m.audience, expiresAt: m.expiresAt, anonymous: !!m.anonymous })) });
      }
      case 'GET /payload': {
        const id = q.get('id') ?? '';
        const bytes = id ? await node.store.get(id) : undefined;
        if (!bytes) throw new Refusal(404, 'no-bundle', 'no such bundle in the store');
        const d = decodeBundle(bytes);
        if (!d.ok) throw new Refusal(422, 'unreadable', `the stored bundle does not decode: ${d.error.message}`);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-bundle-destination': encodeURIComponent(d.bundle.primary.destination) });
        res.end(d.bundle.payload.data);
        return;
      }
      case 'POST /send': {
        // The body first: a client still writing it reads the refusal rather than a broken pipe.
        const payload = await readBody(req, MAX_SEND_BYTES, () => new Refusal(413, 'too-large', `at most ${MAX_SEND_BYTES} bytes in one bundle`));
        const to = q.get('to') ?? '';
        if (!isValidEid(to) || to === 'dtn:none') throw new Refusal(400, 'bad-destination', 'to: not an endpoint ID (dtn://node/service or ipn:node.service)');
        const priority = Number(q.get('priority') ?? Priority.Normal);
        if (!isPriority(priority)) throw new Refusal(400, 'bad-priority', 'priority: 0 (emergency) to 3 (low)');
        const lifetimeMs = Number(q.get('lifetime-ms') ?? LIFETIME_MS[priority]);
        if (!Number.isInteger(lifetimeMs) || lifetimeMs < 1000 || lifetimeMs > MAX_LIFETIME_MS) throw new Refusal(400, 'bad-lifetime', 'lifetime-ms: from 1000 to one year');
        let id: string;
        try {
          id = await node.originate({ destination: to, payload, priority, audience: 'public', lifetimeMs });
        } catch (err) {
          throw new Refusal(507, 'not-stored', String((err as Error).message ?? err));
        }
        this.log.info({ id, to, bytes: payload.length }, 'operator sent a bundle');
        return sendJson(res, 200, { id, to, bytes: payload.length });
      }
      default:
        throw new Refusal(404, 'unknown', `no such operator request: ${route.slice(0, 80)}`);
    }
  }
}
