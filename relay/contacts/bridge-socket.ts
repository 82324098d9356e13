import { EventEmitter } from 'node:events';
import { rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import {
  ContactEventError,
  MAX_CONTACT_LINE,
  parseContactEvent,
  silentLogger,
  type ContactEvent,
  type ContactLogger,
  type ContactSource,
} from '../../src/core/protocol/contact-event.ts';

/**
 * Relay side of the native bridge's Unix socket: each line is one ContactEvent as JSON. When a
 * bridge disconnects, the contacts it raised are declared down (it resends its current contacts
 * when it reconnects), so a crashed bridge cannot leave phantom contacts behind.
 */
export class BridgeSocketSource extends EventEmitter implements ContactSource {
  private server?: Server;
  private readonly conns = new Set<Socket>();

  constructor(private readonly path: string, private readonly log: ContactLogger = silentLogger) {
    super();
  }

  override on(ev: 'contact', fn: (e: ContactEvent) => void): this;
  override on(ev: 'rejected', fn: (err: ContactEventError) => void): this;
  override on(ev: string, fn: (...args: any[]) => void): this {
    return super.on(ev, fn);
  }

  async start(): Promise<void> {
    await rm(this.path, { force: true }); // a stale socket file from a previous run blocks listen()
    const server = createServer((c) => this.accept(c));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const c of this.conns) c.destroy();
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    await rm(this.path, { force: true });
  }

  private accept(c: Socket): void {
    this.conns.add(c);
    const up = new Map<string, ContactEvent>();
    let buf = '';
    c.setEncoding('utf8');
    c.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        this.line(buf.slice(0, nl), up);
        buf = buf.slice(nl + 1);
      }
      if (buf.length > MAX_CONTACT_LINE) {
        this.reject(new ContactEventError('line too long'));
        c.destroy();
      }
    });
    c.on('error', (err) => this.log.warn({ err: err.message }, 'bridge socket connection error'));
    c.on('close', () => {
      this.conns.delete(c);
      for (const e of up.values()) this.emit('contact', { ...e, kind: 'down', at: Date.now() } satisfies ContactEvent);
    });
  }

  private line(line: string, up: Map<string, ContactEvent>): void {
    if (line.trim() === '') return;
    let e: ContactEvent;
    try {
      e = parseContactEvent(line);
    } catch (err) {
      if (!(err instanceof ContactEventError)) throw err;
      return this.reject(err);
    }
    if (e.kind === 'up') up.set(e.peer, e);
    else up.delete(e.peer);
    this.emit('contact', e);
  }

  private reject(err: ContactEventError): void {
    this.log.warn({ err: err.message }, 'bridge socket line rejected');
    this.emit('rejected', err);
  }
}
