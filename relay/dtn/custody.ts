import { ageOf, audienceOf, BlockFlags, bundleId, dtnToUnixMs, encodeBundle, extensionOf, isExpired, priorityOf, sealedMetadata, StatusReason, type Bundle } from '../../src/core/dtn/index.ts';
import { changeSetAuthor, RELAY_SIGNATURE_BLOCK, relayKeyBytes } from '../../src/core/sync/changeset-auth.ts';
import { nodeSignatureCheck } from '../ed25519.ts';
import type { Logger } from '../log.ts';
import type { FragmentReassembly } from './reassembly.ts';
import { capExpiry, capPriority, highestPriorityFor, type Provenance } from './received-policy.ts';
import type { StatusReporter } from './status-reports.ts';
import type { BundleMeta, BundleStore } from './store/index.ts';

/** What became of a bundle a peer handed over. */
export type Taken =
  /** In custody now: deliver it (and wake the pumps at its capped priority). */
  | { kind: 'stored'; priority: BundleMeta['priority'] }
  /** A fragment in custody: the whole bundle is delivered once reassembled. */
  | { kind: 'fragment' }
  /** Held already (no `refused`), or deleted on arrival for `refused` (logged, reported): nothing more to do. */
  | { kind: 'none'; refused?: string };

/**
 * Custody of bundles in the durable store: what this node makes (kept as `local`, offered to every
 * contact) and what peers hand over (judged by received-policy.ts, stored before the transfer is
 * acknowledged). Every bundle deleted on arrival gets one log line naming it and the reason.
 */
export class Custody {
  constructor(
    private readonly store: BundleStore,
    private readonly reassembly: FragmentReassembly,
    private readonly reports: StatusReporter,
    private readonly log: Logger,
    /**
     * Whether a received bundle's payload is an alert record by someone its community lets raise (or
     * answer) alerts, as this relay judges (core/alerts/emergency.ts). False when it cannot judge.
     */
    private readonly alertFromRaiser: (b: Bundle) => boolean = () => false,
    private readonly alertUnjudged: (b: Bundle) => boolean = () => false,
  ) {}

  private readonly check = nodeSignatureCheck();

  metaOf(b: Bundle, size: number, now: number): BundleMeta {
    const p = b.primary;
    const left = p.creationTime !== 0 ? dtnToUnixMs(p.creationTime) + p.lifetimeMs : now + p.lifetimeMs - (ageOf(b) ?? 0);
    // createdAt is when this node took custody: dwell time for the age block is measured from it.
    return { id: bundleId(b), source: p.source, destination: p.destination, priority: priorityOf(b), audience: audienceOf(b), createdAt: now, expiresAt: left, size };
  }

  /** Takes custody of a bundle made here; throws when the store cannot keep it. */
  async keepOwn(b: Bundle): Promise<string> {
    const bytes = encodeBundle(b);
    const result = await this.store.put({ ...this.metaOf(b, bytes.length, Date.now()), local: true }, bytes);
    if (result !== 'stored' && result !== 'duplicate') throw new Error(`bundle not stored: ${result}`);
    return bundleId(b);
  }

  /**
   * A whole bundle reassembled from fragments goes into the store like any other received one; it is
   * authenticated only when every fragment it was made of was (an anonymous hop's fragment could be part).
   */
  putWhole(b: Bundle, bytes: Uint8Array, authenticated: boolean): ReturnType<BundleStore['put']> {
    return this.store.put(this.receivedMetaOf(b, bytes.length, Date.now(), authenticated), bytes);
  }

  /**
   * How this relay keeps a bundle a peer handed over. Its mesh metadata counts only when sealed
   * (metadata-integrity.ts), and then its priority is still capped by policy (received-policy.ts);
   * unsealed, block 192 is carried like an unknown block and the bundle's kind sets the priority. What
   * an anonymous hop brought is marked so, and leaves the store before anything else (store/evict.ts).
   */
  private receivedMetaOf(b: Bundle, size: number, now: number, authenticated: boolean, sealed = this.sealed(b)): BundleMeta {
    const declared = this.metaOf(b, size, now);
    const dest = b.primary.destination;
    const from = this.provenance(b, authenticated);
    const priority = sealed ? capPriority(sealed.priority, dest, from) : highestPriorityFor(dest, from);
    const meta: BundleMeta = { ...declared, priority, audience: sealed?.audience ?? 'public', expiresAt: capExpiry(declared.expiresAt, now) };
    // A member's signed alert vouches for itself, whoever carried it: it is not a stranger's bulk.
    if (!authenticated && !from.alertFromRaiser) meta.anonymous = true;
    return meta;
  }

  /**
   * An alert record is judged whoever brought it: its own signature, by a member the community lets raise
   * alerts, proves what it is, and a bridge between islands that proved nothing about itself (plain TCPCL)
   * must still carry a real alert ahead of everything. A stranger cannot make one up; replaying a real
   * one stores it once and it expires. Only alert endpoints are judged (core/alerts/emergency.ts).
   */
  private provenance(b: Bundle, authenticated: boolean): Provenance {
    const whole = !b.primary.fragment;
    const alertFromRaiser = whole && this.alertFromRaiser(b);
    return { authenticated, alertFromRaiser, alertUnjudged: whole && !alertFromRaiser && this.alertUnjudged(b) };
  }

  /**
   * The bundle's metadata if sealed. A bundle with a relay signature (block 193) counts only when the
   * same key sealed it: anyone may seal, so without this a carrier could re-seal a change-set's metadata.
   */
  private sealed(b: Bundle): ReturnType<typeof sealedMetadata> {
    const author = b.extensions.some((e) => e.kind === 'unknown' && e.type === RELAY_SIGNATURE_BLOCK) ? changeSetAuthor(b, this.check) : undefined;
    if (author && !author.ok) return undefined;
    return sealedMetadata(b, this.check, author ? (relayKeyBytes(author.relay) ?? undefined) : undefined);
  }

  /**
   * A data bundle (not routing, not sync) from `peer`, `authenticated` when that hop proved who it is
   * (received-policy.ts). Resolving acknowledges the transfer, so custody is durable first; a full store
   * throws, which refuses the transfer so the peer keeps its copy.
   */
  async take(b: Bundle, bytes: Uint8Array, peer: string, authenticated: boolean): Promise<Taken> {
    const id = bundleId(b);
    const now = Date.now();
    const sealed = this.sealed(b);
    const meta = this.receivedMetaOf(b, bytes.length, now, authenticated, sealed);
    if (meta.audience === 'local') return this.deleted(peer, id, 'local-audience', 'a local bundle does not travel between relays');
    // Unsealed metadata is a block this relay cannot process: its "delete bundle" flag applies (RFC 9171 §4.2.4).
    const block = extensionOf(b, 'mesh-metadata');
    if (block && !sealed && block.flags & BlockFlags.DeleteBundleIfUnprocessable)
      return this.deleted(peer, id, 'unsealed-metadata', 'its mesh metadata is not sealed and its flags ask to delete the bundle');
    if (isExpired(b, now)) return this.expired(peer, b);
    if (b.primary.fragment && this.reassembly.hasWhole(b)) return { kind: 'none' }; // held whole already: a repeat, not a loss
    const result = await this.store.put(meta, bytes);
    if (result === 'rejected-full' || result === 'rejected-too-large') throw new Error(`no room for bundle: ${result}`);
    if (result === 'expired') return this.expired(peer, b);
    if (result !== 'stored') return { kind: 'none' };
    // A fragment is never delivered itself (RFC 9171 §5.9): the whole bundle is, once complete.
    return b.primary.fragment ? { kind: 'fragment' } : { kind: 'stored', priority: meta.priority };
  }

  /** One log line for every bundle this node deletes on arrival, naming it and the reason. */
  deleted(peer: string, id: string | undefined, reason: string, detail: string): Taken {
    this.log.warn({ peer, id: id ?? 'unreadable', reason, detail }, 'bundle deleted');
    return { kind: 'none', refused: reason };
  }

  private expired(peer: string, b: Bundle): Taken {
    const taken = this.deleted(peer, bundleId(b), 'lifetime-expired', 'its lifetime is over');
    this.reports.report(b.primary, 'deleted', StatusReason.LifetimeExpired, b.payload.data.length);
    return taken;
  }
}
