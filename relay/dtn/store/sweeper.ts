/**
 * Runs a sweep every `intervalMs` until stopped. A failed sweep is reported and the next one still runs:
 * expired bundles must not pile up because one unlink failed. The timer never keeps the process alive.
 */
export class Sweeper {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly sweep: () => Promise<unknown>,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.sweep().catch(this.onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
