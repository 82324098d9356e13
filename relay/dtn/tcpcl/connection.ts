// The byte pipe under a TCPCL session: the TCP connection, or the TLS socket over it once upgraded.

import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TcpclTlsOptions } from './session-options.ts';
import { upgradeToTls } from './tls-upgrade.ts';

export interface ConnectionHandlers {
  data: (chunk: Uint8Array) => void;
  error: (err: Error) => void;
  close: () => void;
}

export class TcpclConnection {
  private socket: Socket;

  constructor(
    private readonly raw: Socket,
    private readonly on: ConnectionHandlers,
  ) {
    this.socket = raw;
    raw.setNoDelay(true);
    this.listen(raw);
  }

  private listen(s: Socket): void {
    s.on('data', this.on.data);
    s.on('error', this.on.error);
    s.on('close', this.on.close);
  }

  /**
   * Starts TLS over the TCP connection: from now on TCPCL bytes go through the TLS socket. `onSecure`
   * runs once the handshake is done; a failed one reports through `error` and `close`.
   */
  upgrade(role: 'active' | 'passive', tls: TcpclTlsOptions, onSecure: (s: TLSSocket) => void): void {
    this.raw.off('data', this.on.data);
    const s = upgradeToTls(this.raw, role, tls);
    this.socket = s;
    this.listen(s);
    s.once(role === 'passive' ? 'secure' : 'secureConnect', () => onSecure(s));
  }

  get writable(): boolean {
    return !this.socket.destroyed && !this.socket.writableEnded;
  }

  /** Bytes written that the peer has not read yet. */
  get unsent(): number {
    return this.socket.writableLength;
  }

  write(bytes: Uint8Array): boolean {
    return this.socket.write(bytes);
  }

  /** Resolves when buffered output has drained, or the connection closed. */
  drain(): Promise<void> {
    const s = this.socket;
    if (s.destroyed || s.writableEnded || !s.writableNeedDrain) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        s.off('drain', done);
        s.off('close', done);
        resolve();
      };
      s.on('drain', done);
      s.on('close', done);
    });
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Half-closes after buffered output (TLS close_notify first, when upgraded). */
  end(): void {
    this.socket.end();
  }

  /** Drops the connection at once: the TLS socket and the TCP one under it. */
  kill(): void {
    this.socket.destroy();
    this.raw.destroy();
  }
}
