import type { Contact } from '../contact.ts';
import type { BundleStore, ListFilter } from '../store/index.ts';
import { livesOn } from './endpoint-node.ts';
import { PeerHistory } from './peer-history.ts';
import type { ContactPlan, Router } from './router.ts';

/**
 * Push epidemic routing with per-peer history, dtn7's default: a peer that speaks no summary protocol
 * (any standard BPv7 node: dtn7, µD3TN, ION) is sent every bundle it has not been sent yet and did not
 * send us, and what it was sent is remembered per peer node ID across contacts (bounded, peer-history.ts).
 * A transfer the peer did not acknowledge goes again on the next contact, not on this one. A peer with
 * an empty node ID cannot be recognised again: its history lives only as long as its contact.
 */
export class PushRouter implements Router {
  readonly name = 'push';
  readonly history = new PeerHistory();
  /**
   * The history key of each contact, kept after it ends: a transfer cut by the contact's end settles
   * (unacknowledged) after contactDown, and must still be forgotten so it goes next time.
   */
  private readonly keys = new WeakMap<Contact, string>();
  /**
   * Live contacts, each with the transfers it did not acknowledge: not offered again on this contact (a
   * peer refusing a bundle must not be sent it in a loop), forgotten from the history when it ends.
   */
  private readonly live = new Map<Contact, string[]>();
  private anonymous = 0;

  constructor(private readonly store: Pick<BundleStore, 'has'>) {}

  contactUp(c: Contact): ContactPlan {
    // ' ' cannot start a node ID: anonymous keys never collide with a real peer's.
    const key = c.peer === '' ? ` anonymous ${++this.anonymous}` : c.peer;
    this.keys.set(c, key);
    this.live.set(c, []);
    // Bundles gone from the store since the last contact can never be offered again.
    this.history.prune(key, (id) => this.store.has(id));
    return { pump: true };
  }

  contactDown(c: Contact): void {
    const key = this.keys.get(c);
    const failed = this.live.get(c) ?? [];
    this.live.delete(c);
    if (key === undefined) return;
    if (c.peer === '') this.history.forget(key);
    else for (const id of failed) this.history.delete(key, id);
  }

  onRouting(): boolean {
    return false;
  }

  offer(c: Contact): ListFilter | undefined {
    const key = this.keys.get(c);
    if (key === undefined || !this.live.has(c)) return undefined;
    return { exclude: this.history.of(key), where: (m) => m.audience !== 'local' && !livesOn(m.source, c.peer) };
  }

  forwarding(c: Contact, id: string): boolean {
    const key = this.keys.get(c);
    if (key === undefined || !this.live.has(c) || this.history.has(key, id)) return false;
    this.history.add(key, id);
    return true;
  }

  received(c: Contact | undefined, id: string): void {
    const key = c && this.keys.get(c);
    if (key !== undefined) this.history.add(key, id);
  }

  forwarded(c: Contact, id: string, acked: boolean): 'keep' {
    const key = this.keys.get(c);
    if (acked || key === undefined) return 'keep';
    const failed = this.live.get(c);
    // Settled after the contact ended (the usual case: the link went): forgotten at once.
    if (failed) failed.push(id);
    else this.history.delete(key, id);
    return 'keep';
  }
}
