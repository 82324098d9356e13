import path from 'node:path';
import { AUTH_HEADER } from '../src/core/protocol/auth.ts';
import { encodeTakeAnswer, MAX_HAND_IN_BYTES, MAX_TAKE_REQUEST_BYTES } from '../src/core/protocol/carry.ts';
import { Route } from '../src/core/protocol/routes.ts';
import { CarryError, carryMemberBytesDefault, RelayCarry } from './carry.ts';
import type { RelayConfig } from './config.ts';
import type { DtnService } from './dtn-service.ts';
import { readBody, sendJson } from './http-util.ts';
import type { Logger } from './log.ts';
import { RequestVerifier } from './request-auth.ts';
import type { Exchange, RelayService } from './service.ts';
import { StateFiles } from './sealed-data.ts';

/** In the data dir: who brought which kept hand-in (relay/carried-bytes.ts). */
export const CARRIED_FILE = 'carried.json';

/**
 * Phones as carriers over HTTP (relay/carry.ts):
 * POST /api/carry/take — signed by a member; CBOR {max, held} → CBOR {node, bundles}.
 * POST /api/carry/hand-in — signed by a member; CBOR {bundles} → JSON {node, accepted, refused}.
 */
export class CarryService implements RelayService {
  readonly name = 'carry';
  private carry!: RelayCarry;
  private saving: Promise<void> = Promise.resolve();
  private saveQueued = false;

  constructor(
    private readonly cfg: Pick<RelayConfig, 'carryMemberBytes' | 'storeBudget' | 'dataDir'>,
    private readonly dtn: DtnService,
    private readonly log: Logger,
    private readonly isMember: (key: string) => boolean,
    /** Who carried what names members: sealed in a sealed data dir. */
    private readonly files: StateFiles = new StateFiles(),
  ) {}

  async start(): Promise<void> {
    // What cannot be read back only resets the per-member cap: the relay starts, and says so.
    const saved = await this.files.read<unknown>(this.file, 'carried', this.log).catch((err: unknown) => {
      this.log.warn({ err: String(err) }, 'who brought the carried hand-ins could not be read; the per-member cap starts again');
      return undefined;
    });
    this.carry = new RelayCarry(this.dtn.node, new RequestVerifier(), this.isMember, this.log, this.cfg.carryMemberBytes ?? carryMemberBytesDefault(this.cfg.storeBudget), saved, () => this.save());
  }

  /** Who brought which kept hand-in, so the per-member cap outlives a restart. */
  private get file(): string {
    return path.join(this.cfg.dataDir, CARRIED_FILE);
  }

  /**
   * Saves what is kept, one write at a time (they share a temp file); hand-ins during a write are in the
   * next one. A write that fails is logged: the cap then counts from memory until the next write.
   */
  private save(): void {
    if (this.saveQueued) return;
    this.saveQueued = true;
    this.saving = this.saving.then(async () => {
      this.saveQueued = false;
      await this.files.write(this.file, 'carried', this.carry.snapshot()).catch((err: unknown) => this.log.warn({ err: String(err) }, 'could not save who brought the carried hand-ins'));
    });
  }

  /** Carried bundles live in the bundle store, which the DTN service closes; what is kept is saved. */
  async close(): Promise<void> {
    await this.saving;
  }

  status(): Record<string, unknown> {
    return this.carry ? { carry: this.carry.status() } : {};
  }

  private readonly take = async ({ req, res }: Exchange): Promise<void> => {
    const body = await readBody(req, MAX_TAKE_REQUEST_BYTES, () => new CarryError(413, 'too-large', `request larger than ${MAX_TAKE_REQUEST_BYTES} bytes`));
    const answer = await this.carry.take(body, req.headers[AUTH_HEADER] as string | undefined, { method: 'POST', path: Route.carryTake });
    res.writeHead(200, { 'content-type': 'application/cbor', 'cache-control': 'no-store' });
    res.end(encodeTakeAnswer(answer));
  };

  private readonly handIn = async ({ req, res }: Exchange): Promise<void> => {
    const body = await readBody(req, MAX_HAND_IN_BYTES, () => new CarryError(413, 'too-large', `request larger than ${MAX_HAND_IN_BYTES} bytes`));
    const answer = await this.carry.handIn(body, req.headers[AUTH_HEADER] as string | undefined, { method: 'POST', path: Route.carryHandIn });
    sendJson(res, 200, answer);
  };

  readonly routes = { carryTake: { at: { POST: this.take } }, carryHandIn: { at: { POST: this.handIn } } };
}
