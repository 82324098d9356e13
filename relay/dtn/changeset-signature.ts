import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { sealMetadata, type Bundle } from '../../src/core/dtn/index.ts';
import { fromBase64Url } from '../../src/core/crypto/encoding.ts';
import { changeSetAuthor, signChangeSetBundle, type ChangeSetAuthorship } from '../../src/core/sync/changeset-auth.ts';
import type { ChangeSetPayload, SyncPayload } from '../../src/core/sync/index.ts';
import type { Communities } from '../communities.ts';
import { nodeSignatureCheck } from '../ed25519.ts';
import type { Logger } from '../log.ts';
import { communityOfChanges } from '../../src/core/protocol/endpoints.ts';

/** Change-sets for a community and contact-sync messages to a peer's sync service carry the signature. */
const signed = (destination: string): boolean => communityOfChanges(destination) !== undefined || destination.endsWith('sync');

/** PKCS#8 DER prefix of an ed25519 private key (RFC 8410) before the 32-byte seed. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Authorship of change-sets between relays: this relay signs the change-set and contact-sync bundles it
 * originates with its key, and applies another relay's only when the community names that relay in its
 * steward-signed relays list (Communities.relayMayWrite). Anything else is carried as opaque bundles.
 */
export class ChangeSetSignatures {
  private readonly authors = new WeakMap<ChangeSetPayload, ChangeSetAuthorship>();
  private readonly check = nodeSignatureCheck();
  private readonly key: KeyObject;
  private readonly publicKey: Uint8Array;
  private refusals = 0;

  constructor(
    private readonly communities: Communities,
    private readonly log: Logger,
  ) {
    const k = communities.relayKey;
    this.key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, k.secretKey.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
    this.publicKey = fromBase64Url(k.publicKey);
  }

  /**
   * For DtnNode.signer: signs what goes to a community's changes endpoint or a peer's sync service, and
   * seals the mesh metadata of everything (metadata-integrity.ts), so other relays act on its priority
   * and audience.
   */
  readonly signer = (b: Bundle): Bundle => {
    const raw = (m: Uint8Array) => new Uint8Array(sign(null, m, this.key));
    return sealMetadata(signed(b.primary.destination) ? signChangeSetBundle(b, this.publicKey, raw) : b, this.publicKey, raw);
  };

  /** Remembers who signed the bundle a change-set came in (checked once, when it is delivered). */
  note(p: ChangeSetPayload, b: Bundle): void {
    this.authors.set(p, changeSetAuthor(b, this.check));
  }

  /** May this change-set be applied to `docId`? Only if a relay the doc's community names signed it. */
  readonly mayApply = (docId: string, p: ChangeSetPayload, incoming: () => unknown): boolean => {
    const a = this.authors.get(p) ?? { ok: false, reason: 'unsigned' as const };
    const ok = a.ok && this.communities.relayMayWrite(p.community, a.relay, docId, incoming);
    if (!ok) this.refused(a.ok ? `relay ${a.relay} is not one of the community's relays` : `change-set ${a.reason}`, p.doc);
    return ok;
  };

  /** Contact sync: only with a relay a community we serve names (for a doc: that doc's community). */
  syncAllowed(b: Bundle, p: SyncPayload): boolean {
    const a = changeSetAuthor(b, this.check);
    const doc = 'doc' in p ? p.doc : undefined;
    const ok = a.ok && this.communities.relayMayWrite(doc ? this.communities.communityOfDoc(doc) : undefined, a.relay, doc);
    if (!ok) this.refused(a.ok ? `contact sync from relay ${a.relay}, not one of the community's relays` : `contact sync ${a.reason}`, doc);
    return ok;
  }

  private refused(why: string, doc: string | undefined): void {
    // Logged at 1, 2, 4, 8… so a stream of forged bundles cannot flood the log.
    const n = ++this.refusals;
    if ((n & (n - 1)) === 0) this.log.warn({ doc, why, seen: n }, 'change-set not applied: not from a relay of its community');
  }
}
