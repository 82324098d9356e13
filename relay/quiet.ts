/**
 * Background work (search index, island agents) that should wait until the relay's documents stop
 * changing: while a bridge pours in a contact's worth of docs, the event loop belongs to applying them
 * and serving phones. `poke()` on every change; `run` happens once changes have paused for `quietMs`,
 * and never later than `maxWaitMs` after the first poke, so a never-quiet island still gets fresh results.
 */
export class WhenQuiet {
  private quiet?: NodeJS.Timeout;
  private deadline?: NodeJS.Timeout;

  constructor(
    private readonly run: () => void,
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
  ) {}

  poke(): void {
    clearTimeout(this.quiet);
    this.quiet = setTimeout(() => this.fire(), this.quietMs).unref();
    this.deadline ??= setTimeout(() => this.fire(), Math.max(this.quietMs, this.maxWaitMs)).unref();
  }

  stop(): void {
    clearTimeout(this.quiet);
    clearTimeout(this.deadline);
    this.quiet = this.deadline = undefined;
  }

  private fire(): void {
    this.stop();
    this.run();
  }
}
