import type { WebSocket } from 'ws';

/** At most this many remembered requests per socket, and in all: a flood of random ids costs a bounded map. */
export const EARLY_REQUEST_LIMITS = { perSocket: 64, total: 10_000 } as const;

/**
 * Requests for docs the relay had not heard of when they came: a phone on island B asks for a member's
 * feed that is still on the bridge. They are answered "unavailable" at once (no handle is made for an
 * unknown id), and automerge-repo on the phone then never asks again; so the request is kept here, and
 * replayed when a community lists the doc, and the relay syncs it to the phone from then on.
 */
export class EarlyRequests {
  private readonly byDoc = new Map<string, Map<WebSocket, Uint8Array>>();
  private readonly bySocket = new Map<WebSocket, Set<string>>();
  private total = 0;

  remember(docId: string, socket: WebSocket, frame: Uint8Array): void {
    let docs = this.bySocket.get(socket);
    if (docs?.has(docId)) return;
    if (this.total >= EARLY_REQUEST_LIMITS.total || (docs?.size ?? 0) >= EARLY_REQUEST_LIMITS.perSocket) return;
    if (!docs) {
      this.bySocket.set(socket, (docs = new Set()));
      socket.once('close', () => this.forgetSocket(socket));
    }
    docs.add(docId);
    let sockets = this.byDoc.get(docId);
    if (!sockets) this.byDoc.set(docId, (sockets = new Map()));
    sockets.set(socket, frame);
    this.total++;
  }

  /** The requests waiting for `docId`, removed from here. */
  take(docId: string): Array<{ socket: WebSocket; frame: Uint8Array }> {
    const sockets = this.byDoc.get(docId);
    if (!sockets) return [];
    this.byDoc.delete(docId);
    const out: Array<{ socket: WebSocket; frame: Uint8Array }> = [];
    for (const [socket, frame] of sockets) {
      this.bySocket.get(socket)?.delete(docId);
      this.total--;
      out.push({ socket, frame });
    }
    return out;
  }

  get size(): number {
    return this.total;
  }

  private forgetSocket(socket: WebSocket): void {
    for (const docId of this.bySocket.get(socket) ?? []) {
      const sockets = this.byDoc.get(docId);
      if (sockets?.delete(socket)) this.total--;
      if (sockets?.size === 0) this.byDoc.delete(docId);
    }
    this.bySocket.delete(socket);
  }
}
