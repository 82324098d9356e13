import type { Logger } from '../../log.ts';
import type { RoutingState } from './routing-state-file.ts';
import { saveRoutingState } from './routing-state-file.ts';

/** How often changed routing state is written: a crash loses at most this much (repeats, or spray copies sent twice). */
export const ROUTING_SAVE_MS = 5000;

interface Saved {
  /** True when something a snapshot holds changed since the last call. */
  takeChanged(): boolean;
  snapshot(): RoutingState;
}

/**
 * Writes the routing state (routing-state-file.ts) when it changed, at most every ROUTING_SAVE_MS and
 * once more at close; one write at a time. A failed write is logged and tried again next time: the
 * relay routes on from memory.
 */
export class RoutingStateSaver {
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  /** The last write failed: write again even if nothing changed since. */
  private retry = false;

  constructor(
    private readonly dataDir: string,
    private readonly router: Saved,
    private readonly log: Pick<Logger, 'warn'>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.save(), ROUTING_SAVE_MS);
    this.timer.unref();
  }

  /** Saves now if anything changed (waits for a write under way first). */
  save(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (!this.router.takeChanged() && !this.retry) return;
      this.retry = false;
      try {
        await saveRoutingState(this.dataDir, this.router.snapshot());
      } catch (err) {
        this.retry = true;
        this.log.warn({ err: String(err) }, 'routing state not saved; kept in memory, tried again');
      }
    });
    return this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.save();
  }
}
