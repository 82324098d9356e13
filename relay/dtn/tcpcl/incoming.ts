// Receiving side of a session: reassembles transfers, enforces our Transfer
// MRU, and sends the final XFER_ACK only after the bundle was handed over
// (onBundle resolved), so an acknowledgement means "stored". Deliveries of
// consecutive transfers may overlap; their acks still go out in order. How many
// are being stored at once is counted, so the session can stop reading a peer
// that sends faster than we store (otherwise its bundles would pile up in memory).

import { MessageType, SegmentFlags, XferRefuseReason } from './constants.ts';
import { KNOWN_TRANSFER_EXTENSIONS, readTransferLength, unknownCriticalItem } from './extensions.ts';
import type { TcpclMessage, XferSegment } from './messages.ts';

export interface RxPort {
  transferMru: number;
  send(frame: TcpclMessage): void;
  deliver(bytes: Uint8Array, transferId: bigint): Promise<void>;
  /** True once SESS_TERM was sent or received: no new incoming transfer is accepted. */
  ending(): boolean;
  unexpected(messageType: number): void;
  onProgress(transferId: bigint, receivedBytes: number, totalBytes: number | undefined): void;
  onIdle(): void;
  onRefused(transferId: bigint, reason: number): void;
  /** A handed-over bundle was stored or failed: `delivering` went down. */
  onDelivered(): void;
}

interface Reassembly {
  id: bigint;
  chunks: Uint8Array[];
  received: number;
  declared: number | undefined;
}

export class IncomingTransfers {
  private current: Reassembly | undefined;
  private refused: { id: bigint; reason: number } | undefined;
  /** Acks and refusals go out in order, so a later transfer is never acked before an earlier one. */
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  /** Bundles handed over and not yet stored, and their bytes. */
  delivering = 0;
  deliveringBytes = 0;

  constructor(private readonly port: RxPort) {}

  get busy(): boolean {
    return this.current !== undefined || this.pending > 0;
  }

  /** Drops any partial transfer: it is never delivered. */
  abort(): void {
    this.current = undefined;
  }

  onSegment(seg: XferSegment): void {
    const cur = (seg.flags & SegmentFlags.START) !== 0 ? this.begin(seg) : this.continuing(seg);
    if (!cur) return;
    const mru = this.port.transferMru;
    if (cur.received + seg.data.length > mru) return this.refuse(seg.transferId, XferRefuseReason.NoResources);
    if (cur.declared !== undefined && cur.received + seg.data.length > cur.declared) {
      return this.refuse(seg.transferId, XferRefuseReason.NotAcceptable);
    }
    cur.chunks.push(seg.data);
    cur.received += seg.data.length;
    this.port.onProgress(cur.id, cur.received, cur.declared);
    const ack = { type: 'XFER_ACK', flags: seg.flags, transferId: cur.id, ackedLength: BigInt(cur.received) } as const;
    if ((seg.flags & SegmentFlags.END) === 0) {
      // Nothing queued ahead of this ack: send it now rather than through a promise per segment.
      if (this.pending === 0) return this.port.send(ack);
      return this.then(async () => this.port.send(ack));
    }
    this.finish(cur, ack);
  }

  /** A START segment whose extension items could not be parsed (RFC: reception failed). */
  onMalformedStart(transferId: bigint): void {
    this.current = undefined;
    this.refuse(transferId, XferRefuseReason.ExtensionFailure);
  }

  private begin(seg: XferSegment): Reassembly | undefined {
    // A START while another transfer is open means the peer abandoned it; it is dropped, never delivered.
    this.current = undefined;
    if (this.port.ending()) return void this.refuse(seg.transferId, XferRefuseReason.SessionTerminating);
    if (unknownCriticalItem(seg.extensions, KNOWN_TRANSFER_EXTENSIONS)) {
      return void this.refuse(seg.transferId, XferRefuseReason.ExtensionFailure);
    }
    const length = readTransferLength(seg.extensions);
    if (length.kind === 'invalid') return void this.refuse(seg.transferId, XferRefuseReason.ExtensionFailure);
    if (length.kind === 'present' && length.total > BigInt(this.port.transferMru)) {
      return void this.refuse(seg.transferId, XferRefuseReason.NoResources);
    }
    const declared = length.kind === 'present' ? Number(length.total) : undefined;
    this.current = { id: seg.transferId, chunks: [], received: 0, declared };
    return this.current;
  }

  private continuing(seg: XferSegment): Reassembly | undefined {
    if (this.current && this.current.id === seg.transferId) return this.current;
    // RFC 9174 §5.2.4: segments crossing our refusal on the wire are refused again.
    if (this.refused && this.refused.id === seg.transferId) return void this.refuse(seg.transferId, this.refused.reason);
    this.port.unexpected(MessageType.XFER_SEGMENT);
    return undefined;
  }

  private finish(cur: Reassembly, finalAck: TcpclMessage): void {
    this.current = undefined;
    if (cur.declared !== undefined && cur.received !== cur.declared) {
      return this.refuse(cur.id, XferRefuseReason.NotAcceptable);
    }
    const bytes = concat(cur.chunks, cur.received);
    // Hand the bundle over now, so several transfers can be stored at once (the store batches their
    // fsyncs); the chain still sends every ack and refusal in transfer order.
    this.delivering++;
    this.deliveringBytes += bytes.length;
    const delivered = this.port.deliver(bytes, cur.id).then(
      () => true,
      () => false,
    );
    void delivered.then(() => {
      this.delivering--;
      this.deliveringBytes -= bytes.length;
      this.port.onDelivered();
    });
    this.then(async () => {
      if (await delivered) return this.port.send(finalAck);
      this.refused = { id: cur.id, reason: XferRefuseReason.NoResources };
      this.port.onRefused(cur.id, XferRefuseReason.NoResources);
      this.port.send({ type: 'XFER_REFUSE', reason: XferRefuseReason.NoResources, transferId: cur.id });
    });
  }

  private refuse(id: bigint, reason: number): void {
    if (this.current?.id === id) this.current = undefined;
    this.refused = { id, reason };
    this.port.onRefused(id, reason);
    this.then(async () => this.port.send({ type: 'XFER_REFUSE', reason, transferId: id }));
  }

  private then(action: () => Promise<void>): void {
    this.pending++;
    this.chain = this.chain
      .then(action)
      .catch(() => undefined)
      .finally(() => {
        this.pending--;
        if (!this.busy) this.port.onIdle();
      });
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
