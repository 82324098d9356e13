import { getHeads } from '@automerge/automerge';
import path from 'node:path';
import { decodeBundle, type Bundle } from '../../src/core/dtn/index.ts';
import {
  applyChangeSets,
  ChangeSetEmitter,
  decodePayload,
  encodePayload,
  type DocAccess,
  type SyncPayload,
} from '../../src/core/sync/index.ts';
import type { Communities } from '../communities.ts';
import type { Logger } from '../log.ts';
import type { RelayRepo } from '../repo.ts';
import { quarantineFile, readJson, writeJsonAtomic } from '../state-file.ts';
import { ChangeSetSignatures } from './changeset-signature.ts';
import { CarriageLists } from './carriage-lists.ts';
import { SealedCarriage } from './sealed-carriage.ts';
import { changesEndpoint, communityOfChanges } from '../../src/core/protocol/endpoints.ts';
import { PAYLOAD_LIFETIME_MS, PAYLOAD_PRIORITY } from '../../src/core/protocol/priority.ts';
import type { Contact, DtnNode } from './node.ts';
import { EmitRetries, type RetryReason } from './emit-retries.ts';
import { repoDocAccess } from './repo-access.ts';
import { Arrivals, type Arrival } from './arrivals.ts';
import { MAX_OPS_AT_ONCE, opsInChunks } from '../../src/core/sync/automerge-op-count.ts';
import { ContactSyncs } from './contact-syncs.ts';

/** Change-sets kept in memory for a retry; more are still in the bundle store and come again on a contact. */
const MAX_WAITING = 10_000;

/**
 * CRDT over bundles for the communities this relay serves (ARCHITECTURE §6): every local change leaves
 * as a carried change-set to the community's group endpoint; received change-sets are applied; and
 * while a contact with another relay is up, both run automerge's sync protocol for shared docs.
 */
export class Replicator {
  private readonly access: DocAccess;
  private emitter = new ChangeSetEmitter();
  /** Automerge sync with each relay in contact (contact-syncs.ts). */
  private readonly contacts: ContactSyncs;
  private readonly dirty = new Set<string>();
  /** Docs taken from `dirty` by a flush still running, or waiting to retry (not loaded yet). */
  private readonly inFlush = new Set<string>();
  /** Docs whose change-set could not leave yet (not loaded, store refused), retried with backoff. */
  private readonly retries: EmitRetries;
  private closed = false;
  private timer?: NodeJS.Timeout;
  /**
   * Change-sets that could not be applied yet (unknown community, missing deps): retried later. Each keeps
   * the contact that brought it, so the contact's record counts it once it applies: a fresh island learns
   * the community doc after the posts that need it, and its status must not say "0 changes arrived".
   */
  private readonly waiting = new Map<string, Arrival>();
  private persist: Promise<void> = Promise.resolve();
  /** Change-sets delivered since the last drain, by doc: applied together on the next turn. */
  private readonly inbox = new Arrivals();
  private draining = false;
  private badPayloads = 0;
  private overOps = 0;

  constructor(
    private readonly rr: RelayRepo,
    private readonly communities: Communities,
    private readonly node: DtnNode,
    private readonly dataDir: string,
    private readonly log: Logger,
    /** automerge-repo's own give-up (~60 s) is not configurable per find; status must not wait on it. */
    missingAfterMs = 60_000,
  ) {
    this.retries = new EmitRetries(rr.repo, (id) => this.markDirty(id), log, missingAfterMs);
    this.access = repoDocAccess(rr.repo, () => communities.replicatedDocIds());
    this.signatures = new ChangeSetSignatures(communities, log);
    this.carriage = new SealedCarriage(communities, log);
    this.lists = new CarriageLists(dataDir, log);
    node.signer = this.signatures.signer;
    this.contacts = new ContactSyncs({
      access: this.access,
      communities,
      node,
      carriage: this.carriage,
      signatures: this.signatures,
      log,
      fits: (doc, source, ops) => this.fits(doc, source, ops),
      emitBefore: (doc) => this.emitBefore(doc),
      // These changes came from another relay, which already sent them as change-sets; when a sync message
      // brings them first, the change-sets arrive as duplicates, so the contact counts them here.
      arrived: (doc, heads, c) => {
        this.emitter.markCarried(doc, heads);
        this.countApplied(c);
        this.afterArrival(doc);
      },
    });
  }

  /** The relay keys each community's change-sets were last sealed to (carriage-lists.ts). */
  private readonly lists: CarriageLists;

  /** Change-set and contact-sync payloads sealed to the community's relays (sealed-carriage.ts). */
  private readonly carriage: SealedCarriage;

  /** Who signed each change-set, and whether its community lets that relay write (write rights). */
  private readonly signatures: ChangeSetSignatures;

  private get stateFile(): string {
    return path.join(this.dataDir, 'dtn-emitter.json');
  }

  async start(): Promise<void> {
    await this.lists.load();
    const state = await readJson<unknown>(this.stateFile, this.log);
    try {
      if (state) this.emitter.importState(state);
    } catch (err) {
      // Losing it costs a re-emission of what was already sent (a repeat is a no-op), not data.
      this.emitter = new ChangeSetEmitter();
      await quarantineFile(this.stateFile, `bad emitter state: ${String(err)}`, this.log);
    }
    this.rr.onChange((id) => this.markDirty(id));
    this.communities.on('doc', (id) => this.markDirty(id));
    this.node.on('deliver', (b, from) => this.onDeliver(b, from));
    this.node.on('up', (c) => this.contacts.up(c));
    this.node.on('down', (c) => this.contacts.down(c));
    this.node.on('sync', (payload, c, b) => this.contacts.receive(payload, c, b));
    for (const id of this.communities.replicatedDocIds()) this.markDirty(id);
    this.flushSoon();
    await this.replayStored();
  }

  /**
   * Bundles are acknowledged before they are applied, so a crash in between must not lose changes:
   * at start every stored change-set for a served community is offered again (a repeat is a no-op).
   */
  private async replayStored(): Promise<void> {
    const metas = this.node.store.list({ where: (m) => communityOfChanges(m.destination) !== undefined });
    for (const m of metas) {
      // A file that cannot be read now (disk error) is left for contact sync to repair.
      const bytes = await this.node.store.get(m.id).catch(() => undefined);
      const d = bytes ? decodeBundle(bytes) : undefined;
      if (d?.ok) this.onDeliver(d.bundle, null, true);
    }
    if (metas.length) this.log.info({ bundles: metas.length }, 'stored change-sets replayed');
  }

  private markDirty(id: string): void {
    this.dirty.add(id);
    this.flushSoon();
  }

  /** Batches bursts of phone edits into one change-set per doc. */
  private flushSoon(): void {
    if (this.closed) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((err) => this.log.error({ err: String(err) }, 'flush failed'));
    }, 100);
  }

  private async flush(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) this.inFlush.add(id);
    const later: Array<[string, RetryReason]> = [];
    try {
      for (const id of ids) {
        const outcome = await this.emitNow(id).catch((err: unknown) => {
          // The store refused (full, read-only disk): the edit stays in the doc and leaves on a retry.
          this.retries.storeRefused(id, err);
          return 'refused' as const;
        });
        if (outcome === 'not-ready' || outcome === 'refused') later.push([id, outcome]);
        else this.retries.settled(id);
      }
      this.contacts.changed(ids);
    } finally {
      // Counted as unemitted until their bundles are stored (status must not say "idle" in between).
      for (const id of ids) this.inFlush.delete(id);
    }
    for (const [id, why] of later) this.retries.later(id, why);
  }

  /** Emits what this doc has that no change-set carried yet. */
  private async emitNow(id: string): Promise<'emitted' | 'nothing' | 'not-ready'> {
    const community = this.communities.communityOfDoc(id);
    if (!community) return 'nothing'; // not (yet) a doc of a served community; marked again when it is
    const doc = this.access.get(id);
    if (doc === undefined) return 'not-ready';
    if (this.lists.grew(community, this.communities.relaysOf(community))) this.reemit(community);
    // The emitter's record (persisted below) is the one memory of what left: it answers at once while
    // the doc still has the heads it was last brought up to.
    const p = this.emitter.emit(id, doc, community);
    if (!p) return 'nothing';
    // Sealed before it is stored: the store, every carrier and every peer hold only the sealed bytes.
    const sealed = this.carriage.seal({ community }, encodePayload(p));
    await this.node.originate({ destination: changesEndpoint(community), payload: sealed, priority: PAYLOAD_PRIORITY['change-set'], audience: 'public', lifetimeMs: PAYLOAD_LIFETIME_MS['change-set'] });
    const state = this.emitter.exportState();
    this.persist = this.persist.then(() => writeJsonAtomic(this.stateFile, state)).catch((err) => this.log.error({ err: String(err) }, 'emitter state not saved'));
    this.log.debug({ doc: id, bytes: p.data.length }, 'change-set emitted');
    return 'emitted';
  }

  /** The community's relays list grew: its docs leave again whole, sealed to the new list (carriage-lists.ts). */
  private reemit(community: string): void {
    const docs = this.communities.replicatedDocIds().filter((id) => this.communities.communityOfDoc(id) === community);
    this.log.info({ community, docs: docs.length }, "a relay was added to the community's list: its docs leave again whole, sealed to the new list");
    for (const id of docs) {
      this.emitter.forget(id);
      this.markDirty(id);
    }
  }

  private onDeliver(b: Bundle, from: Contact | null, replay = false): void {
    const community = communityOfChanges(b.primary.destination);
    if (community === undefined) return;
    // Another community's change-sets (a bridge carrying them) are not this relay's to open.
    if (!this.communities.served.some((c) => c.id === community) && !this.communities.awaitingCommunity()) return;
    // Block 193 is checked over the bytes as carried (sealed), before anything is opened.
    const author = this.signatures.authorOf(b);
    // The list is checked before opening where the community is here; one that has not arrived is
    // judged after, by the doc the change-set brings (mayApply).
    const listed = (relay: string) => !this.communities.view(community) || this.communities.relayMayWrite(community, relay);
    const data = this.carriage.open(b.payload.data, author, 'change-set', listed);
    if (data === undefined) return; // not for this relay, or refused: carried as it is
    let p: SyncPayload;
    try {
      // Every payload is a CBOR map (major type 5): anything else is not ours, and decoding 1 KiB of
      // noise as CBOR costs far more than this test.
      if (data.length === 0 || data[0] >> 5 !== 5) throw new Error('not a CBOR map');
      p = decodePayload(data);
    } catch (err) {
      // Logged at 1, 2, 4, 8… so a stream of foreign or broken bundles cannot flood the log.
      const n = ++this.badPayloads;
      if ((n & (n - 1)) === 0) this.log.warn({ err: String(err), source: b.primary.source, seen: n }, 'bad change-set payload');
      return;
    }
    if (p.t !== 'changes' || p.community !== community) return;
    const ops = opsInChunks(p.data, MAX_OPS_AT_ONCE);
    if (!this.fits(p.doc, b.primary.source, ops)) return;
    this.signatures.note(p, author);
    // A doc still loading from disk at start-up is left alone: contact sync repairs any gap later.
    const loading = this.rr.repo.handles[p.doc as never];
    if (replay && loading && !loading.isReady()) return;
    this.enqueue({ p, from, ops });
  }

  /** Within the bound of one message and the doc's (DocOpLedger)? A refusal is logged at 1, 2, 4, 8… like bad payloads. */
  private fits(doc: string, source: string, ops: number): boolean {
    const tooMany = ops > MAX_OPS_AT_ONCE;
    if (!tooMany && this.rr.docOps.admit(doc, ops)) return true;
    const why = !tooMany ? 'the document would grow past what the relay can open' : Number.isFinite(ops) ? 'more changes than the relay takes in at once' : 'its changes cannot be read';
    const n = ++this.overOps;
    if ((n & (n - 1)) === 0) this.log.warn({ doc, source, seen: n, limit: tooMany ? MAX_OPS_AT_ONCE : this.rr.docOps.limit }, `change-set refused: ${why}`);
    return false;
  }

  private enqueue(a: Arrival): void {
    this.inbox.add(a);
    this.drainSoon();
  }

  /**
   * Applies the change-sets of one doc (everything delivered for it so far) per turn of the event loop:
   * a big contact must not hold the loop for seconds, or TCPCL keepalives stall and sessions drop.
   */
  private drain(): void {
    this.draining = false;
    const next = this.inbox.nextBatch();
    if (!next) return;
    if (this.applyDoc(next.doc, next.batch)) this.retryWaiting();
    this.drainSoon();
  }

  private drainSoon(): void {
    if (this.draining || this.inbox.docs === 0) return;
    this.draining = true;
    setImmediate(() => this.drain());
  }

  /**
   * Applies a doc's carried change-sets together, each counted toward the contact that brought it; what
   * cannot apply yet waits for a retry. True if any applied.
   */
  private applyDoc(doc: string, arrivals: Arrival[]): boolean {
    this.emitBefore(doc);
    const arrivalOf = new Map(arrivals.map((a) => [a.p, a]));
    const outcomes = applyChangeSets(this.access, doc, arrivals.map((a) => a.p), { accepts: (id, meta) => this.communities.accepts(id, meta.community), mayApply: this.signatures.mayApply });
    let applied = false;
    for (const o of outcomes) {
      const p = o.p;
      this.log.debug({ doc, status: o.status, heads: p.heads.length, deps: p.deps.length }, 'change-set received');
      if (o.status === 'bad') this.log.warn({ doc, err: o.error }, 'change-set refused');
      if (o.status === 'pending' || (o.status === 'refused' && this.communities.awaitingCommunity())) {
        if (this.waiting.size < MAX_WAITING) this.waiting.set(`${p.doc} ${p.heads.join(',')}`, arrivalOf.get(p)!);
      }
      if (o.status !== 'applied') continue;
      this.emitter.markCarried(doc, p.heads);
      this.countApplied(arrivalOf.get(p)?.from);
      applied = true;
    }
    if (applied) {
      // Everything the doc holds now was emitted before the batch (when its community is known, the
      // emitNow above asked the emitter) or carried in by it.
      const now = this.access.get(doc);
      const emittable = this.communities.communityOfDoc(doc) !== undefined;
      if (now && emittable && outcomes.every((o) => o.status === 'applied' || o.status === 'duplicate')) this.emitter.caughtUp(doc, getHeads(now));
      this.afterArrival(doc);
    }
    return applied;
  }

  /** Our own unsent edits leave before we mark incoming ones as carried; a refusal retries later. */
  private emitBefore(doc: string): void {
    this.emitNow(doc).catch(() => this.markDirty(doc));
  }

  private afterArrival(doc: string): void {
    this.communities.arrived(doc).then(
      () => this.retryWaiting(),
      (err: unknown) => this.log.warn({ doc, err: String(err) }, 'arrival not handled'),
    );
  }

  /** Something applied: what waited (unknown community, missing deps) goes back in line, a doc per turn. */
  private retryWaiting(): void {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const a of all) this.enqueue(a);
  }

  /** One more change that arrived over `c` (the status bar's "N changes arrived"), even if `c` has ended since. */
  private countApplied(c: Contact | null | undefined): void {
    const record = c ? this.node.recordFor(c) : undefined;
    if (record) record.changesApplied++;
  }

  /** Edits not yet turned into change-sets, and change-sets not applied yet (queued, or waiting for their community or deps). */
  status() {
    const queued = this.inbox.count();
    // A doc retried because it was not loaded counts while it is on its way in (a phone is pushing it)
    // or has just arrived; one that is nowhere yet (unavailable) has nothing of ours to emit.
    const unemitted = new Set([...this.dirty, ...this.inFlush, ...this.retries.loading()]).size;
    return {
      unemitted: unemitted + (this.timer && unemitted === 0 ? 1 : 0),
      waiting: this.waiting.size + queued,
      ...this.retries.status(),
      sealed: this.carriage.status(),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.retries.close();
    await this.persist;
    await this.lists.close();
  }
}
