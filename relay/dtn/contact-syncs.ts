import { getHeads } from '@automerge/automerge';
import type { Bundle } from '../../src/core/dtn/index.ts';
import { ContactSync, decodePayload, type DocAccess, type SyncPayload } from '../../src/core/sync/index.ts';
import { MAX_OPS_AT_ONCE } from '../../src/core/sync/automerge-op-count.ts';
import { opsCarried } from '../../src/core/sync/sync-changes.ts';
import type { Communities } from '../communities.ts';
import type { Logger } from '../log.ts';
import type { ChangeSetSignatures } from './changeset-signature.ts';
import type { Contact, DtnNode } from './node.ts';
import type { SealedCarriage } from './sealed-carriage.ts';

/** What contact sync needs from the replicator around it. */
export interface ContactSyncHost {
  access: DocAccess;
  communities: Communities;
  node: DtnNode;
  carriage: SealedCarriage;
  signatures: ChangeSetSignatures;
  log: Logger;
  /** Within the bound of one message and the doc's? (Replicator.fits, which logs a refusal.) */
  fits(doc: string, source: string, ops: number): boolean;
  /** Our own unsent edits of `doc` leave before incoming ones are marked as carried. */
  emitBefore(doc: string): void;
  /** A sync message from `c` changed `doc` (its heads now `heads`): carried, counted, followed up. */
  arrived(doc: string, heads: string[], c: Contact): void;
}

/**
 * Automerge's sync protocol with each relay in contact, for the docs both serve (ARCHITECTURE §6): it
 * repairs what change-sets missed. Messages go as direct bundles to the peer's `sync` service, sealed to
 * the community's relays, and only while the contact is up.
 */
export class ContactSyncs {
  private readonly syncs = new Map<Contact, ContactSync>();

  constructor(private readonly host: ContactSyncHost) {}

  up(c: Contact): void {
    if (c.services === undefined) return; // no sync service to talk to (empty or ipn node ID)
    const cs = new ContactSync({ access: this.host.access, accepts: (id, meta) => this.host.communities.accepts(id, meta.community) });
    this.syncs.set(c, cs);
    this.send(c, cs.start());
  }

  down(c: Contact): void {
    this.syncs.delete(c);
  }

  /** These docs changed here: each contact's sync tells its peer. */
  changed(ids: readonly string[]): void {
    for (const [c, cs] of this.syncs) for (const id of ids) this.send(c, this.safely(c, () => cs.onLocalChange(id)));
  }

  receive(bytes: Uint8Array, c: Contact, b: Bundle): void {
    const cs = this.syncs.get(c);
    if (!cs) return;
    const { access, carriage, communities, signatures } = this.host;
    try {
      const author = signatures.authorOf(b);
      const data = carriage.open(bytes, author, 'contact sync', (relay) => communities.relayMayWrite(undefined, relay));
      if (data === undefined) return;
      const p = decodePayload(data);
      if (!signatures.syncAllowed(author, p)) return;
      if (p.t === 'sync' && !this.host.fits(p.doc, b.primary.source, opsCarried(p.msg, MAX_OPS_AT_ONCE))) return;
      const doc = p.t === 'sync' ? p.doc : undefined;
      const before = doc ? access.get(doc) : undefined;
      if (doc) this.host.emitBefore(doc);
      const replies = cs.receive(p);
      const after = doc ? access.get(doc) : undefined;
      if (doc && after && after !== before) this.host.arrived(doc, getHeads(after), c);
      this.send(c, replies);
    } catch (err) {
      this.host.log.warn({ peer: c.peer, err: String(err) }, 'bad contact-sync payload');
    }
  }

  /** A contact-sync step that throws on one doc must not stop the others. */
  private safely(c: Contact, step: () => SyncPayload[]): SyncPayload[] {
    try {
      return step();
    } catch (err) {
      this.host.log.warn({ peer: c.peer, err: String(err) }, 'contact sync step failed');
      return [];
    }
  }

  private send(c: Contact, payloads: SyncPayload[]): void {
    for (const p of payloads) {
      let sealed: Uint8Array[];
      try {
        sealed = this.host.carriage.sealSync(p);
      } catch (err) {
        this.host.log.warn({ peer: c.peer, err: String(err) }, 'contact-sync payload not sealed; not sent');
        continue;
      }
      for (const bytes of sealed) void this.host.node.sendDirect(c, 'sync', bytes);
    }
  }
}
