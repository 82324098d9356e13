// Keepalive and idle detection of an up session (RFC 9174 §5.1.1).

export interface LivenessPort {
  /** The session is up or ending (keepalives still flow). */
  live(): boolean;
  /** We stopped reading the peer's input ourselves (backpressure). */
  inputHeld(): boolean;
  sendKeepalive(): void;
  /** Nothing heard for twice the interval: end the session. */
  idle(): void;
}

export class Liveness {
  lastSentAt = Date.now();
  lastReceivedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private intervalMs = 0;

  constructor(private readonly port: LivenessPort) {}

  /** Starts the timer with the negotiated interval (seconds; 0 disables keepalives). */
  start(keepaliveSec: number): void {
    this.intervalMs = keepaliveSec * 1000;
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.intervalMs = 0;
  }

  private schedule(): void {
    const k = this.intervalMs;
    if (k === 0) return;
    const due = Math.min(this.lastSentAt + k, this.lastReceivedAt + 2 * k);
    this.timer = setTimeout(() => this.onTimer(k), Math.max(10, due - Date.now()));
    this.timer.unref();
  }

  private onTimer(k: number, afterIo = false): void {
    if (!this.port.live() || this.intervalMs === 0) return;
    const now = Date.now();
    if (now - this.lastReceivedAt >= 2 * k && !afterIo) {
      // Timers run before pending socket reads: if this process was busy (a big apply), the peer's
      // keepalives may be waiting unread. Judge again once I/O has been polled.
      setImmediate(() => this.onTimer(k, true));
      return;
    }
    if (this.port.inputHeld()) {
      // We stopped reading because our store is behind: the peer's silence is ours.
      if (now - this.lastSentAt >= k) this.port.sendKeepalive();
      this.lastReceivedAt = now;
      return this.schedule();
    }
    // Nothing heard for twice the interval: the peer is presumed gone.
    if (now - this.lastReceivedAt >= 2 * k) return this.port.idle();
    if (now - this.lastSentAt >= k) this.port.sendKeepalive();
    this.schedule();
  }
}
