// The contact header exchange (RFC 9174 §4.2-4.3) and the TLS upgrade it may lead to (§4.4).

import type { TLSSocket } from 'node:tls';
import { ContactFlags, SessTermReason, TCPCL_VERSION } from './constants.ts';
import { encodeContactHeader } from './encode.ts';
import { TcpclError, type DownCause } from './errors.ts';
import type { ContactHeader } from './messages.ts';
import type { TcpclTlsOptions } from './session-options.ts';
import { tlsPeerOf, type TlsPeer } from './tls-upgrade.ts';

export interface HandshakePort {
  role: 'active' | 'passive';
  tls: TcpclTlsOptions | undefined;
  write(bytes: Uint8Array): void;
  /** Bytes the peer sent that are not decoded yet. */
  buffered(): number;
  abort(cause: DownCause, termReason?: number, error?: Error): void;
  /** Hands the connection to TLS; `onSecure` runs once its handshake is done. */
  upgrade(onSecure: (s: TLSSocket) => void): void;
  /** Contact headers (and TLS, if any) done: SESS_INIT comes next. */
  init(tls: TlsPeer | undefined): void;
}

export class ContactExchange {
  /** True from the TLS upgrade until its handshake is done: the bytes on the wire are TLS records. */
  upgrading = false;

  constructor(private readonly port: HandshakePort) {}

  ourHeader(): Uint8Array {
    return encodeContactHeader(this.port.tls ? ContactFlags.CAN_TLS : 0);
  }

  onPeerHeader(h: ContactHeader): void {
    const p = this.port;
    if (h.version !== TCPCL_VERSION) {
      // §4.3: the passive side answers with its header, then SESS_TERM; the active side just closes.
      if (p.role === 'passive') p.write(this.ourHeader());
      return p.abort('version-mismatch', p.role === 'passive' ? SessTermReason.VersionMismatch : undefined);
    }
    if (p.role === 'passive') p.write(this.ourHeader());
    // Enable TLS is the logical AND of both CAN_TLS flags; otherwise plain TCPCL, as with peers (dtn7
    // and others) that do not offer TLS.
    if (!p.tls || (h.flags & ContactFlags.CAN_TLS) === 0) return p.init(undefined);
    if (p.buffered() > 0) {
      // The peer sent more before our header could have reached it: not a TCPCL peer waiting for TLS.
      return p.abort('tls-failure', undefined, new TcpclError('tls-failure', 'data after the contact header before TLS started'));
    }
    this.upgrading = true;
    p.upgrade((s) => this.onSecure(s));
  }

  private onSecure(s: TLSSocket): void {
    this.upgrading = false;
    const peer = tlsPeerOf(s);
    // TLS is up, so the peer can read why (§6.1) before the connection closes.
    if (peer instanceof TcpclError) return this.port.abort('tls-failure', SessTermReason.ContactFailure, peer);
    this.port.init(peer);
  }
}
