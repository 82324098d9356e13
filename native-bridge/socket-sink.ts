import { connect, type Socket } from 'node:net';
import { silentLogger, type ContactEvent, type ContactLogger } from '../src/core/protocol/contact-event.ts';

export interface SocketSinkOptions {
  path: string;
  /** Contacts currently up; sent first on every (re)connection so a restarted relay catches up. */
  snapshot: () => ContactEvent[];
  retryMs?: number;
  maxRetryMs?: number;
  logger?: ContactLogger;
}

/** Bridge side of the relay's Unix socket: JSON lines out, reconnecting with capped backoff. */
export class SocketSink {
  private sock?: Socket;
  private connected = false;
  private stopped = true;
  private retry?: NodeJS.Timeout;
  private delay: number;
  private readonly log: ContactLogger;

  constructor(private readonly opts: SocketSinkOptions) {
    this.delay = opts.retryMs ?? 200;
    this.log = opts.logger ?? silentLogger;
  }

  start(): void {
    this.stopped = false;
    this.dial();
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const s = this.sock;
    this.sock = undefined;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => s.end(() => resolve()));
  }

  isConnected(): boolean {
    return this.connected;
  }

  /** Events while disconnected are dropped on purpose: the snapshot on reconnect supersedes them. */
  send(e: ContactEvent): void {
    if (this.connected) this.sock?.write(JSON.stringify(e) + '\n');
  }

  private dial(): void {
    const s = connect(this.opts.path);
    this.sock = s;
    s.on('connect', () => {
      this.connected = true;
      this.delay = this.opts.retryMs ?? 200;
      this.log.info?.({ path: this.opts.path }, 'connected to relay');
      for (const e of this.opts.snapshot()) s.write(JSON.stringify(e) + '\n');
    });
    s.on('error', (err) => this.log.debug?.({ err: err.message }, 'relay socket error'));
    s.on('close', () => {
      this.connected = false;
      if (this.stopped) return;
      this.retry = setTimeout(() => this.dial(), this.delay);
      this.delay = Math.min(this.delay * 2, this.opts.maxRetryMs ?? 5000);
    });
  }
}
