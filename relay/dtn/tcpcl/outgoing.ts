// Sending side of a session. Transfers go out in submission order, each one's segments back to back
// (RFC 9174 §5.2.2: no interleaving), but up to `window` transfers may await their final XFER_ACK at
// once (the RFC allows several outstanding transfers), so a sender is not held to one storage
// latency per bundle. A transfer settles only on the peer's final XFER_ACK (or a refusal / session end).

import { SegmentFlags, U64_MAX } from './constants.ts';
import { encodeFrame } from './encode.ts';
import { TcpclTransferRefusedError, TcpclTransferTooLargeError } from './errors.ts';
import { transferLengthItem } from './extensions.ts';
import type { XferAck, XferRefuse } from './messages.ts';

export interface TxPort {
  /** Negotiated peer limits, or undefined while the session is not up. */
  limits(): { peerSegmentMru: number; peerTransferMru: number } | undefined;
  /** Whether a new transfer may begin (session up and not ending). */
  canStart(): boolean;
  write(bytes: Uint8Array): boolean;
  drain(): Promise<void>;
  /** False once the connection can no longer carry data. */
  writable(): boolean;
  onProgress(transferId: bigint, ackedBytes: number, totalBytes: number): void;
  onIdle(): void;
  onIdsExhausted(): void;
}

interface Pending {
  bytes: Uint8Array;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Active extends Pending {
  id: bigint;
  settled: boolean;
}

export class OutgoingTransfers {
  private readonly queue: Pending[] = [];
  /** Started and not settled, in start order: an early one may be acked while a later one still sends. */
  private readonly inflight = new Map<bigint, Active>();
  /** The transfer whose segments are being written; the next starts only once this one is fully sent. */
  private sending: Active | undefined;
  /** Recently settled ids: an ack crossing a refusal or a late duplicate ack is not a protocol error. */
  private readonly settledIds: bigint[] = [];
  private nextId = 0n;

  constructor(
    private readonly port: TxPort,
    private readonly maxSendSegment: number,
    private readonly window = 1,
  ) {}

  get busy(): boolean {
    return this.inflight.size > 0;
  }

  get queued(): number {
    return this.queue.length + this.inflight.size;
  }

  enqueue(bytes: Uint8Array): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ bytes, resolve, reject });
      this.kick();
    });
  }

  /** Starts queued transfers while none is mid-send, the window has room and the session allows it. */
  kick(): void {
    while (!this.sending && this.inflight.size < this.window && this.queue.length > 0 && this.port.canStart()) {
      const next = this.queue.shift() as Pending;
      const limits = this.port.limits();
      if (!limits) return void this.queue.unshift(next);
      if (next.bytes.length > limits.peerTransferMru) {
        next.reject(new TcpclTransferTooLargeError(next.bytes.length, limits.peerTransferMru));
        continue;
      }
      if (this.nextId > U64_MAX) {
        this.queue.unshift(next);
        return this.port.onIdsExhausted();
      }
      const active: Active = { ...next, id: this.nextId++, settled: false };
      this.inflight.set(active.id, active);
      this.sending = active;
      void this.transmit(active, Math.max(1, Math.min(limits.peerSegmentMru, this.maxSendSegment))).finally(() => {
        if (this.sending !== active) return;
        this.sending = undefined;
        this.kick();
      });
    }
  }

  /** Returns false when the ack matches no transfer of ours (the caller rejects it). */
  onAck(ack: XferAck): boolean {
    const t = this.inflight.get(ack.transferId);
    if (!t) return this.settledIds.includes(ack.transferId);
    const total = BigInt(t.bytes.length);
    if (ack.ackedLength > total) return false;
    this.port.onProgress(t.id, Number(ack.ackedLength), t.bytes.length);
    if ((ack.flags & SegmentFlags.END) !== 0 && ack.ackedLength === total) this.settle(t, undefined);
    return true;
  }

  onRefuse(refuse: XferRefuse): boolean {
    const t = this.inflight.get(refuse.transferId);
    if (!t) return this.settledIds.includes(refuse.transferId);
    this.settle(t, new TcpclTransferRefusedError(refuse.reason, t.id));
    return true;
  }

  /** Rejects transfers that have not started (session ending); the ones in flight may still finish. */
  rejectQueued(err: Error): void {
    for (const p of this.queue.splice(0)) p.reject(err);
  }

  failAll(err: Error): void {
    for (const t of [...this.inflight.values()]) this.settle(t, err, false);
    this.rejectQueued(err);
  }

  private settle(t: Active, err: Error | undefined, continueQueue = true): void {
    if (t.settled) return;
    t.settled = true;
    this.inflight.delete(t.id);
    if (this.sending === t) this.sending = undefined; // its transmit loop stops at the next segment
    this.settledIds.push(t.id);
    if (this.settledIds.length > Math.max(8, this.window * 2)) this.settledIds.shift();
    if (err) t.reject(err);
    else t.resolve();
    if (!continueQueue) return;
    this.kick();
    if (this.inflight.size === 0) this.port.onIdle();
  }

  private async transmit(t: Active, segmentSize: number): Promise<void> {
    const total = t.bytes.length;
    let offset = 0;
    do {
      const end = Math.min(offset + segmentSize, total);
      const first = offset === 0;
      const flags = (first ? SegmentFlags.START : 0) | (end === total ? SegmentFlags.END : 0);
      // RFC 9174 §5.2.5.1: Transfer Length only when the transfer spans several segments.
      const extensions = first && end < total ? [transferLengthItem(total)] : [];
      const frame = encodeFrame({ type: 'XFER_SEGMENT', flags, transferId: t.id, extensions, data: t.bytes.subarray(offset, end) });
      offset = end;
      if (!this.port.write(frame)) await this.port.drain();
      // A refusal or a dead session stops the remaining segments.
      if (t.settled || !this.port.writable()) return;
    } while (offset < total);
  }
}
