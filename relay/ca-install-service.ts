import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { communityCaIn, type ServedCa } from './ca/chain-ca.ts';
import { renderInstallPage } from './ca/install-page.ts';
import { installLang } from './ca/install-page-text.ts';
import type { RelayConfig } from './config.ts';
import { checkedPath, methodNotAllowed, setSecurityHeaders } from './http-util.ts';
import type { Logger } from './log.ts';
import { Refusal } from './refusal.ts';
import { RouteTable } from './route-table.ts';
import type { Exchange, RelayService } from './service.ts';

/** The page has its own style inline and no script: nothing else is allowed to load. */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The community CA's install page and certificate (docs/DEPLOY.md §4b). The CA is the last certificate
 * of the --tls-cert chain when it is a self-signed CA that issued the relay's certificate, as `ca init`
 * and `ca issue` write it; a public certificate's chain has none, and the page says nothing is needed.
 * With --install-port the same routes are also served over plain HTTP, where a phone that does not
 * trust the CA yet can open them; every other path there leads to the page.
 */
export class CaInstallService implements RelayService {
  readonly name = 'ca-install';
  private ca?: ServedCa;
  private plain?: http.Server;
  private plainPort?: number;

  constructor(
    private readonly cfg: RelayConfig,
    /** The origin phones open for the app (known once the HTTP service listens). */
    private readonly appOrigin: () => string,
    private readonly log: Logger,
  ) {}

  /** The plain-HTTP install address, when --install-port is given and the relay has started. */
  get installUrl(): string | undefined {
    return this.plainPort === undefined ? undefined : `http://${urlHost(this.cfg.host)}:${this.plainPort}`;
  }

  async start(): Promise<void> {
    if (this.cfg.tlsCert) this.ca = communityCaIn(await readFile(this.cfg.tlsCert, 'utf8'));
    if (this.ca) this.log.info({ fingerprint: this.ca.fingerprint.sha256, words: this.ca.fingerprint.words.en.join(' ') }, 'serving the community CA at /ca.crt and /install');
    if (this.cfg.installPort === undefined) return;
    const table = new RouteTable([this]);
    const server = (this.plain = http.createServer((req, res) => {
      setSecurityHeaders(req, res);
      const path = checkedPath(req.url);
      if (path !== undefined && table.dispatch({ req, res, path, query: new URLSearchParams((req.url ?? '').split('?')[1] ?? '') }, this.log)) return;
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      // Only the install routes are served in the clear: the app itself is never (its origin is the HTTPS one).
      res.writeHead(302, { location: '/install', 'cache-control': 'no-store' });
      res.end();
    }));
    server.on('clientError', (_err, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.cfg.installPort, this.cfg.host, () => resolve());
    });
    this.plainPort = (server.address() as AddressInfo).port;
    this.log.info({ url: this.installUrl }, 'certificate install page on plain HTTP');
  }

  async close(): Promise<void> {
    if (!this.plain) return;
    const server = this.plain;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  status(): Record<string, unknown> {
    return { communityCa: this.ca ? { fingerprint: this.ca.fingerprint.sha256, words: this.ca.fingerprint.words.en.join(' '), validTo: this.ca.validTo, installPort: this.plainPort ?? null } : null };
  }

  /** Where a phone opens the page: by the origin's host name, on the plain port when there is one. */
  private pageUrl(): string {
    const origin = new URL(this.appOrigin());
    if (this.plainPort === undefined) return `${origin.origin}/install`;
    return `http://${origin.hostname}${this.plainPort === 80 ? '' : `:${this.plainPort}`}/install`;
  }

  private served(): ServedCa {
    if (!this.ca) throw new Refusal(404, 'no-community-ca', 'this relay has no community CA: its certificate is public, or it serves plain HTTP');
    return this.ca;
  }

  private readonly certRoute = ({ res }: Exchange): void => {
    const ca = this.served();
    res.writeHead(200, { 'content-type': 'application/x-x509-ca-cert', 'content-disposition': 'attachment; filename="community-ca.crt"', 'content-length': ca.der.length, 'cache-control': 'no-cache' });
    res.end(ca.der);
  };

  private readonly pemRoute = ({ res }: Exchange): void => {
    const ca = this.served();
    res.writeHead(200, { 'content-type': 'application/x-pem-file', 'content-disposition': 'attachment; filename="community-ca.pem"', 'cache-control': 'no-cache' });
    res.end(ca.pem);
  };

  private readonly pageRoute = ({ req, res, query }: Exchange): void => {
    const html = renderInstallPage({
      lang: installLang(query.get('lang'), req.headers['accept-language']),
      ...(this.ca ? { ca: { fingerprint: this.ca.fingerprint, names: this.ca.names, validTo: this.ca.validTo } } : {}),
      pageUrl: this.pageUrl(),
      appUrl: this.appOrigin(),
    });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'no-cache', vary: 'accept-language' });
    res.end(html);
  };

  readonly routes = {
    caCert: { at: { GET: this.certRoute, HEAD: this.certRoute } },
    caPem: { at: { GET: this.pemRoute, HEAD: this.pemRoute } },
    install: { at: { GET: this.pageRoute, HEAD: this.pageRoute } },
  };
}

function urlHost(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
}
