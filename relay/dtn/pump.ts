import { decodeBundle, encodeBundle, prepareForForward, Priority, type PrimaryBlock } from '../../src/core/dtn/index.ts';
import type { Logger } from '../log.ts';
import type { Contact, ContactRecord } from './contact.ts';
import type { Router } from './routing/router.ts';
import type { BundleMeta, BundleStore } from './store/index.ts';

/**
 * Transfers a pump keeps unacknowledged per contact (and their bytes), so the peer's storage latency
 * (its journal flush) is paid once per window rather than once per bundle.
 */
export const SEND_WINDOW = 64;
const SEND_WINDOW_BYTES = 8 * 1024 * 1024;

export interface PumpDeps {
  nodeId: string;
  store: BundleStore;
  router: Router;
  log: Logger;
  /** Whether the contact is still up. */
  live: (c: Contact) => boolean;
  /**
   * A peer acknowledged a bundle (RFC 9171 §6.1: a forwarding report, when the bundle asks for one);
   * the payload length names a fragment subject (§6.1.1), without which a fragment gets no report.
   */
  forwarded?: (primary: PrimaryBlock, payloadLength: number) => void;
}

/**
 * One pump per contact hands the peer, highest priority first, the bundles its router offers; then
 * waits for new ones. The store is sorted once per pass, not once per few sends; a pass restarts early
 * only when a bundle of higher priority than the one being sent arrives. Up to SEND_WINDOW transfers
 * (SEND_WINDOW_BYTES) are in flight at once, queued in send order on the session.
 */
export class Pumps {
  private readonly wakeups = new Set<() => void>();
  /** Each live pump's pass: the priority it is sending now, and whether a more urgent bundle arrived. */
  private readonly passes = new Map<Contact, { priority: Priority; preempted: boolean }>();
  private closed = false;

  constructor(private readonly d: PumpDeps) {}

  start(c: Contact, record: ContactRecord): void {
    this.pump(c, record).catch((err) => this.d.log.error({ peer: c.peer, err: String(err) }, 'pump stopped'));
  }

  /** Wakes idle pumps; a bundle of higher priority than a pass is sending also restarts that pass. */
  wake(priority?: Priority): void {
    if (priority !== undefined) for (const pass of this.passes.values()) if (priority < pass.priority) pass.preempted = true;
    for (const w of [...this.wakeups]) w();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const w = () => {
        this.wakeups.delete(w);
        resolve();
      };
      this.wakeups.add(w);
    });
  }

  private async pump(c: Contact, record: ContactRecord): Promise<void> {
    const { store, router } = this.d;
    const inflight = new Set<Promise<void>>();
    let inflightBytes = 0;
    const pass = { priority: Priority.Low as Priority, preempted: false };
    this.passes.set(c, pass);
    try {
      while (!this.closed && this.d.live(c)) {
        const offer = router.offer(c);
        if (offer === undefined) {
          await this.sleep();
          continue;
        }
        pass.preempted = false;
        const next = store.list(offer);
        if (next.length === 0) {
          await this.sleep();
          // Let a burst of arrivals land before the next pass lists the store again.
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        for (const m of next) {
          if (!this.d.live(c) || pass.preempted) break;
          if (!store.has(m.id) || !router.forwarding(c, m.id)) continue; // gone meanwhile, or the peer has it
          pass.priority = m.priority;
          c.unacked++; // from here until acked it is in neither the router's offer nor the store's list
          const out = await this.outgoing(m);
          if (!out) {
            c.unacked--;
            continue;
          }
          const { bytes, primary, payloadLength } = out;
          inflightBytes += bytes.length;
          const sent = this.transfer(c, m, bytes).then(async (ok) => {
            if (ok) {
              record.bundlesOut = ++c.bundlesOut;
              this.d.forwarded?.(primary, payloadLength);
            }
            c.unacked--;
            inflightBytes -= bytes.length;
            inflight.delete(sent);
            if (router.forwarded(c, m.id, ok) === 'delete') await store.delete(m.id).catch((err) => this.d.log.warn({ id: m.id, err: String(err) }, 'forwarded bundle not deleted'));
          });
          inflight.add(sent);
          while (inflight.size >= SEND_WINDOW || (inflight.size > 0 && inflightBytes >= SEND_WINDOW_BYTES)) await Promise.race(inflight);
        }
        pass.priority = Priority.Low;
      }
    } finally {
      this.passes.delete(c);
    }
  }

  /** The bundle as it leaves this node (age and previous-node blocks updated), or undefined if it may not. */
  private async outgoing(m: BundleMeta): Promise<{ bytes: Uint8Array; primary: PrimaryBlock; payloadLength: number } | undefined> {
    const bytes = await this.d.store.get(m.id);
    if (!bytes) return undefined;
    const decoded = decodeBundle(bytes);
    if (!decoded.ok) return undefined;
    const now = Date.now();
    const fwd = prepareForForward(decoded.bundle, { localNode: this.d.nodeId, dwellMs: Math.max(0, now - m.createdAt), nowUnixMs: now });
    if (!fwd.ok) {
      this.d.log.debug({ id: m.id, reason: fwd.reason }, 'not forwarded');
      return undefined;
    }
    return { bytes: encodeBundle(fwd.bundle), primary: fwd.bundle.primary, payloadLength: fwd.bundle.payload.data.length };
  }

  private async transfer(c: Contact, m: BundleMeta, bytes: Uint8Array): Promise<boolean> {
    try {
      await c.session.sendBundle(bytes);
      return true;
    } catch (err) {
      this.d.log.info({ peer: c.peer, id: m.id, err: String(err) }, 'transfer not acknowledged; it will be sent on the next contact');
      return false;
    }
  }
}
