// Entry points: a passive listener and an active connector, both producing TcpclSessions.

import { EventEmitter } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { TcpclError } from './errors.ts';
import { TcpclSession, validateSessionOptions, type TcpclSessionOptions } from './session.ts';

export interface ListenOptions extends TcpclSessionOptions {
  host?: string;
  /** 0 (default) picks an ephemeral port; RFC 9174 registers 4556. */
  port?: number;
  /** Called for every accepted connection, before its contact header arrives. */
  onSession?: (session: TcpclSession) => void;
}

export interface ConnectOptions extends TcpclSessionOptions {
  host: string;
  port: number;
}

export class TcpclListener extends EventEmitter {
  readonly sessions = new Set<TcpclSession>();

  constructor(private readonly server: Server) {
    super();
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get host(): string {
    return (this.server.address() as AddressInfo).address;
  }

  /** Stops accepting, terminates every session cleanly, resolves when all are down. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.sessions].map((s) => s.close()));
    await closed;
  }

  /** @internal */
  adopt(session: TcpclSession): void {
    this.sessions.add(session);
    session.once('down', () => this.sessions.delete(session));
    this.emit('session', session);
  }
}

export function listenTcpcl(opts: ListenOptions): Promise<TcpclListener> {
  return new Promise((resolve, reject) => {
    let listener: TcpclListener | undefined;
    const server = createServer((socket: Socket) => {
      let session: TcpclSession;
      try {
        session = new TcpclSession(socket, 'passive', opts);
      } catch {
        return void socket.destroy();
      }
      listener?.adopt(session);
      opts.onSession?.(session);
    });
    listener = new TcpclListener(server);
    // A validation error (bad nodeId…) should surface here, not on the first connection.
    try {
      validateSessionOptions(opts);
    } catch (err) {
      return reject(err);
    }
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve(listener as TcpclListener);
    });
  });
}

/** Connects and resolves once the session is up (SESS_INIT exchanged both ways). */
export function connectTcpcl(opts: ConnectOptions): Promise<TcpclSession> {
  return new Promise((resolve, reject) => {
    try {
      validateSessionOptions(opts);
    } catch (err) {
      return reject(err);
    }
    const socket = connect({ host: opts.host, port: opts.port });
    const onError = (err: Error): void => reject(new TcpclError('connect-failed', `connect ${opts.host}:${opts.port}: ${err.message}`));
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      let session: TcpclSession;
      try {
        session = new TcpclSession(socket, 'active', opts);
      } catch (err) {
        socket.destroy();
        return reject(err);
      }
      session.ready.then(() => resolve(session), reject);
    });
  });
}
