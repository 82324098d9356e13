import { PANIC_HOLD } from '../core/vault/panic.ts';

/**
 * The opt-in panic gesture on the page: a long press starts a countdown the person can undo; when it runs
 * out, `wipe` runs. `left` is the seconds still to go (null: no countdown).
 */
export class PanicGesture {
  left = $state<number | null>(null);
  private timer?: ReturnType<typeof setInterval>;

  constructor(private readonly wipe: () => void) {}

  start(): void {
    if (this.left !== null) return;
    this.left = PANIC_HOLD.undoSeconds;
    this.timer = setInterval(() => {
      if (this.left === null) return;
      this.left -= 1;
      if (this.left > 0) return;
      clearInterval(this.timer);
      this.wipe();
    }, 1000);
  }

  undo(): void {
    clearInterval(this.timer);
    this.left = null;
  }

  /** Pointer handlers for the element that takes the long press (only when the gesture is turned on). */
  holdHandlers(enabled: () => boolean) {
    let hold: ReturnType<typeof setTimeout> | undefined;
    const cancel = () => clearTimeout(hold);
    return {
      onpointerdown: () => {
        if (!enabled()) return;
        cancel();
        hold = setTimeout(() => this.start(), PANIC_HOLD.holdMs);
      },
      onpointerup: cancel,
      onpointerleave: cancel,
      onpointercancel: cancel,
      // A long press on a phone opens the context menu; with the gesture on, it must not.
      oncontextmenu: (e: Event) => {
        if (enabled()) e.preventDefault();
      },
    };
  }
}
