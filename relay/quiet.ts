/**
 * Background work (search index, island agents) that should wait until the relay is quiet: while a
 * bridge pours in a contact's worth of docs and phones sync them, the event loop belongs to applying
 * and serving. `poke()` on every change or phone message (cheap: it only notes the time); `run` happens
 * once the relay has been quiet for `quietMs`, and never later than `maxWaitMs` after the first poke, so
 * a never-quiet island still gets fresh results.
 */
export class WhenQuiet {
  private timer?: NodeJS.Timeout;
  private lastPoke = 0;
  private firstPoke = 0;
  private stopped = false;

  constructor(
    private readonly run: () => void,
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
  ) {}

  poke(): void {
    if (this.stopped) return;
    const now = Date.now();
    this.lastPoke = now;
    if (this.timer) return;
    this.firstPoke = now;
    this.arm(this.quietMs);
  }

  /** For good: a poke after this (a change arriving while the relay closes) arms no timer. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.check(), ms);
    this.timer.unref();
  }

  private check(): void {
    const now = Date.now();
    const quietFor = now - this.lastPoke;
    const waited = now - this.firstPoke;
    const limit = Math.max(this.quietMs, this.maxWaitMs);
    if (quietFor < this.quietMs && waited < limit) return this.arm(Math.min(this.quietMs - quietFor, limit - waited));
    this.timer = undefined;
    this.run();
  }
}
