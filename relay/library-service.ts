import type http from 'node:http';
import { MAX_CHUNK_SIZE } from '../src/core/library/index.ts';
import { AUTH_HEADER } from '../src/core/protocol/auth.ts';
import type { RelayConfig } from './config.ts';
import type { DtnService } from './dtn-service.ts';
import { readBody, sendJson } from './http-util.ts';
import { LibraryRefusal, MAX_MANIFEST_BYTES, RelayLibrary } from './library.ts';
import type { Logger } from './log.ts';
import { RequestVerifier } from './request-auth.ts';
import type { Exchange, RelayService } from './service.ts';

/** The library keeps at most half the bundle store's budget (1 GiB at most) of chunks for phones. */
const budgetOf = (cfg: RelayConfig): number => Math.min(1024 ** 3, Math.floor(cfg.storeBudget / 2));

/**
 * The community library (issue 10: chunked files across islands; relay/library.ts) over HTTP:
 * POST /api/library/manifests — body: signed FileManifest (JSON) → 201 (new) / 200 (known)
 *   {manifest, progress, missing: [chunk indices to upload]}
 * PUT  /api/library/chunks/<hash> — body: the chunk's bytes → 201 {stored: true} / 200 {stored: false}
 * GET  /api/library — {files: [{manifest, progress}]} (trusted files only with a member's x-spm-auth)
 * GET  /api/library/manifests/<id> — {manifest, progress, missing}
 * GET  /api/library/chunks/<hash> — the bytes (application/octet-stream), 404 when not held
 * Refusals: {error, code} with 400/401/403/404/409/413/422/429/507.
 */
export class LibraryService implements RelayService {
  readonly name = 'library';
  /** Set by start(); routes are served only after every service started. */
  private library!: RelayLibrary;
  /** Signed requests are good once, like the inbox's and the alerts': a captured one cannot be replayed. */
  private readonly requests = new RequestVerifier();

  constructor(
    private readonly cfg: RelayConfig,
    private readonly dtn: DtnService,
    private readonly log: Logger,
    private readonly isMember: (agentId: string) => boolean,
  ) {}

  async start(): Promise<void> {
    this.library = new RelayLibrary(this.dtn.node, { dataDir: this.cfg.dataDir, budgetBytes: budgetOf(this.cfg), isMember: this.isMember, reservationMs: this.cfg.uploadReservationMs }, this.log);
    await this.library.start();
  }

  close(): Promise<void> {
    return this.library?.close() ?? Promise.resolve();
  }

  status(): Record<string, unknown> {
    return { library: this.library.status() };
  }

  /**
   * A request signed (x-spm-auth) by a member, fresh and not seen before, lets trusted files be seen;
   * otherwise (unsigned, forged, expired, replayed, a stranger) they are not, as for anyone.
   */
  private member(req: http.IncomingMessage, path: string): boolean {
    const header = req.headers[AUTH_HEADER] as string | undefined;
    if (header === undefined) return false;
    const v = this.requests.verify(header, { method: req.method ?? 'GET', path });
    if (!v.ok) this.log.debug({ reason: v.reason, path }, 'library request signature refused; trusted files not shown');
    return v.ok && this.isMember(v.agent);
  }

  private readonly list = ({ req, res, path }: Exchange): void => sendJson(res, 200, { files: this.library.list(this.member(req, path)) });

  private readonly share = async ({ req, res }: Exchange): Promise<void> => {
    const body = await readBody(req, MAX_MANIFEST_BYTES, () => new LibraryRefusal(413, 'too-large', `body larger than ${MAX_MANIFEST_BYTES} bytes`));
    const { created, ...entry } = await this.library.addManifest(body);
    sendJson(res, created ? 201 : 200, entry);
  };

  private readonly manifest = ({ req, res, path, tail }: Exchange): void => {
    const entry = this.library.entry(tail);
    if (!entry || (entry.manifest.audience === 'trusted' && !this.member(req, path))) throw new LibraryRefusal(404, 'not-found', 'no such file here');
    sendJson(res, 200, entry);
  };

  private readonly putChunk = async ({ req, res, tail }: Exchange): Promise<void> => {
    const r = await this.library.addChunk(tail, await readBody(req, MAX_CHUNK_SIZE, () => new LibraryRefusal(413, 'too-large', `body larger than ${MAX_CHUNK_SIZE} bytes`)));
    sendJson(res, r.stored ? 201 : 200, r);
  };

  private readonly getChunk = async ({ res, tail }: Exchange): Promise<void> => {
    const bytes = await this.library.chunk(tail);
    if (!bytes) throw new LibraryRefusal(404, 'not-found', 'chunk not here (yet)');
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'public, max-age=31536000, immutable', 'content-length': bytes.length });
    res.end(bytes);
  };

  readonly routes = {
    library: { at: { GET: this.list } },
    libraryManifests: { at: { POST: this.share }, under: { GET: this.manifest } },
    libraryChunks: { under: { GET: this.getChunk, PUT: this.putChunk, POST: this.putChunk } },
  };
}
