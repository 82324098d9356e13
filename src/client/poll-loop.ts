/**
 * A step run now and again every `everyMs` after each run ends, until stopped. Each start begins a new
 * loop and ends the one before, and a step still running when the loop is stopped or restarted schedules
 * nothing after it. The loops this replaces set their next timer after the step's await: a phone stopped
 * while its hub was answering came back to life and polled for ever (found as timers left behind by
 * stopped phones, tests/relay/relay-lifecycle.test.ts), and a link that came up twice during one answer
 * ran two loops from then on.
 */
export class PollLoop {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Which loop is current: a run of an older one sees a different number and ends there. */
  private loop = 0;

  constructor(
    private readonly everyMs: number,
    private readonly step: () => Promise<void> | void,
  ) {}

  start(): void {
    this.stop();
    const loop = this.loop;
    const tick = async (): Promise<void> => {
      try {
        await this.step();
      } catch (err) {
        // One failed run (a hub gone mid-answer) must not end the polling: the next one may get through.
        console.warn('a background check failed; it runs again later', err);
      }
      if (loop === this.loop) this.timer = setTimeout(() => void tick(), this.everyMs);
    };
    void tick();
  }

  stop(): void {
    this.loop++;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
