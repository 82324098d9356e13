import * as Automerge from '@automerge/automerge/slim';
import { metaOf } from './access.ts';
import type { AcceptPolicy, AnyDoc, DocAccess, DocMeta } from './access.ts';
import { SyncPayloadError } from './errors.ts';
import { sameHeads } from './heads.ts';
import type { DocSummary, DocsPayload, SyncMessagePayload, SyncPayload } from './payload.ts';

export interface ContactSyncOptions {
  access: DocAccess;
  /** Docs we do not hold yet are taken on only if this says yes. */
  accepts: AcceptPolicy;
  /** Which held docs are announced to / synced with this peer; default: all. */
  shares?: (docId: string, meta: DocMeta) => boolean;
  /** Docs per 'docs' payload, so one summary never grows past a bundle's comfortable size. */
  summaryChunk?: number;
}

/**
 * Mode 1: automerge's sync protocol with one peer relay while a contact is up. One instance per contact;
 * sync states live only as long as the contact (start() resets them), since a dropped contact may have
 * lost messages that the sync states believe were delivered.
 */
export class ContactSync {
  readonly #access: DocAccess;
  readonly #accepts: AcceptPolicy;
  readonly #shares: (docId: string, meta: DocMeta) => boolean;
  readonly #chunk: number;
  #states = new Map<string, Automerge.SyncState>();
  /** Docs the peer holds or asked for: the ones we push local changes of. */
  #peerHas = new Set<string>();
  #announced = new Set<string>();
  /** Docs we do not hold but accepted from the peer's summary: their sync messages are welcome. */
  #wanted = new Set<string>();

  constructor(opts: ContactSyncOptions) {
    this.#access = opts.access;
    this.#accepts = opts.accepts;
    this.#shares = opts.shares ?? (() => true);
    this.#chunk = Math.max(1, opts.summaryChunk ?? 1000);
  }

  /** Contact up: forget any earlier contact and announce what we hold. */
  start(): SyncPayload[] {
    this.reset();
    const summaries = this.#access.ids().flatMap((id) => this.#summary(id) ?? []);
    for (const s of summaries) this.#announced.add(s.doc);
    const out: DocsPayload[] = [];
    for (let i = 0; i < summaries.length; i += this.#chunk) {
      out.push({ t: 'docs', docs: summaries.slice(i, i + this.#chunk) });
    }
    return out;
  }

  /** Contact down. */
  reset(): void {
    this.#states.clear();
    this.#peerHas.clear();
    this.#announced.clear();
    this.#wanted.clear();
  }

  /** Handle one payload from the peer; returns the replies. Throws only SyncPayloadError. */
  receive(p: SyncPayload): SyncPayload[] {
    if (p.t === 'docs') return p.docs.flatMap((s) => this.#onSummary(s));
    if (p.t === 'sync') return this.#onSyncMessage(p);
    throw new SyncPayloadError('unexpected-type', `contact sync does not take '${p.t}' payloads`);
  }

  /** A held doc changed (locally, from a phone, or from another peer): tell this peer. */
  onLocalChange(docId: string): SyncPayload[] {
    const summary = this.#summary(docId);
    if (!summary) return [];
    const out: SyncPayload[] = [];
    if (!this.#announced.has(docId)) {
      this.#announced.add(docId);
      out.push({ t: 'docs', docs: [summary] });
    }
    if (this.#peerHas.has(docId)) out.push(...this.#generate(docId));
    return out;
  }

  #summary(id: string): DocSummary | undefined {
    const doc = this.#access.get(id);
    if (doc === undefined) return undefined;
    const meta = metaOf(this.#access, id);
    if (!this.#shares(id, meta)) return undefined;
    const s: DocSummary = { doc: id, heads: Automerge.getHeads(doc) };
    if (meta.community !== undefined) s.community = meta.community;
    return s;
  }

  #onSummary(s: DocSummary): SyncPayload[] {
    const doc = this.#access.get(s.doc);
    if (doc !== undefined) {
      if (!this.#shares(s.doc, metaOf(this.#access, s.doc))) return [];
      this.#peerHas.add(s.doc);
      return sameHeads(s.heads, Automerge.getHeads(doc)) ? [] : this.#generate(s.doc);
    }
    const meta: DocMeta = s.community === undefined ? {} : { community: s.community };
    if (!this.#accepts(s.doc, meta)) return [];
    this.#wanted.add(s.doc);
    this.#peerHas.add(s.doc);
    return this.#generate(s.doc);
  }

  #onSyncMessage(p: SyncMessagePayload): SyncPayload[] {
    const held = this.#access.get(p.doc);
    if (held === undefined && !this.#wanted.has(p.doc)) return []; // unsolicited: we never asked for it
    if (held !== undefined && !this.#shares(p.doc, metaOf(this.#access, p.doc))) return [];
    this.#peerHas.add(p.doc);
    this.#absorb(p.doc, p.msg, held !== undefined);
    return this.#generate(p.doc);
  }

  #absorb(id: string, msg: Uint8Array, held: boolean): void {
    let state = this.#state(id);
    let failure: unknown;
    const step = (doc: AnyDoc): AnyDoc => {
      try {
        const [next, st] = Automerge.receiveSyncMessage(doc, state, msg);
        state = st;
        return next;
      } catch (err) {
        failure = err;
        return doc;
      }
    };
    if (held) {
      this.#access.apply(id, (cur) => step(cur ?? Automerge.init()));
    } else {
      // Receive into a scratch doc so a message without changes does not create an empty doc.
      const next = step(Automerge.init());
      if (failure === undefined && Automerge.getHeads(next).length > 0) {
        this.#access.apply(id, (cur) => (cur ? Automerge.loadIncremental(cur, Automerge.save(next)) : next));
        this.#wanted.delete(id);
      }
    }
    if (failure !== undefined) {
      throw new SyncPayloadError('bad-automerge-data', `sync message for ${id}: ${String(failure).slice(0, 200)}`);
    }
    this.#states.set(id, state);
  }

  #generate(id: string): SyncPayload[] {
    const doc = this.#access.get(id) ?? Automerge.init();
    const [state, msg] = Automerge.generateSyncMessage(doc, this.#state(id));
    this.#states.set(id, state);
    return msg ? [{ t: 'sync', doc: id, msg }] : [];
  }

  #state(id: string): Automerge.SyncState {
    let s = this.#states.get(id);
    if (!s) {
      s = Automerge.initSyncState();
      this.#states.set(id, s);
    }
    return s;
  }
}
