import type { ChangeSetAuthorship } from '../../src/core/sync/changeset-auth.ts';
import { encodePayload, type DocSummary, type SyncPayload } from '../../src/core/sync/index.ts';
import { fromBase64Url } from '../../src/core/crypto/encoding.ts';
import { carriageOpener, carriageRecipient, isSealedCarriage, openCarriage, sealCarriage, type CarriageOpener } from '../../src/core/sync/sealed-carriage.ts';
import type { Communities } from '../communities.ts';
import type { Logger } from '../log.ts';
import { nodeX25519 } from '../x25519.ts';

/** Converted relay keys kept for reuse; a relays list is a handful of keys. */
const MAX_CACHED_KEYS = 1024;

/** Whom a payload is sealed to: one community's relays, or (for what names no community yet) every served community's. */
export type CarriageAudience = { community: string } | 'any-served';

/**
 * Change-set and contact-sync payloads leave this relay sealed to the relays their community names
 * (src/core/sync/sealed-carriage.ts), so a bridge, a stranger on the TCPCL port or any BPv7 node carries
 * them as opaque bytes; this relay opens what was sealed to its key.
 *
 * Order on arrival: block 193 (the authorship proof, computed by the caller over the sealed bytes) must
 * be a valid relay signature before anything is opened, so an unsigned or forged bundle never costs an
 * x25519 step or reaches the payload decoder. Whether that relay may write to the doc is decided after
 * opening, by the same write policy as before (ChangeSetSignatures.mayApply), since a community that
 * has not arrived yet is judged by the doc the change-set brings.
 *
 * Clear payloads (relays from before sealed carriage) are still taken when signed: refusing them would
 * cut an island off mid-upgrade, and accepting them exposes nothing more than their sender already did.
 * They are counted (`clearTaken`) so an operator sees an old relay is still sending in clear.
 */
export class SealedCarriage {
  private readonly opener: CarriageOpener;
  private readonly dh = nodeX25519();
  private readonly keys = new Map<string, Uint8Array | null>();
  private readonly counts = { sealed: 0, opened: 0, notForUs: 0, refused: 0, clearTaken: 0 };
  private logged = 0;

  constructor(
    private readonly communities: Communities,
    private readonly log: Logger,
  ) {
    this.opener = carriageOpener(communities.relayKey.secretKey);
  }

  /** `payload` sealed to the audience's relay keys (this relay's own among them). */
  seal(to: CarriageAudience, payload: Uint8Array): Uint8Array {
    const relays = to === 'any-served' ? this.communities.allRelays() : this.communities.relaysOf(to.community);
    const sealed = sealCarriage(payload, relays.flatMap((k) => this.recipient(k) ?? []), this.dh);
    this.counts.sealed++;
    return sealed;
  }

  /**
   * A contact-sync payload as it leaves: a doc's sealed to its community's relays, a summary split by
   * community (no relay learns another community's doc ids). A doc whose community this relay has not
   * linked yet (one just accepted from a peer for a community served here, before the community doc
   * lists it) goes to every served community's relays: dropping it would stall automerge's sync for
   * that doc for the rest of the contact, since its sync state counts the message as sent.
   */
  sealSync(p: SyncPayload): Uint8Array[] {
    const audience = (doc: string): CarriageAudience => {
      const community = this.communities.communityOfDoc(doc);
      return community ? { community } : 'any-served';
    };
    if (p.t === 'sync') return [this.seal(audience(p.doc), encodePayload(p))];
    if (p.t !== 'docs') return [];
    const groups = new Map<string, { to: CarriageAudience; docs: DocSummary[] }>();
    for (const s of p.docs) {
      const to = audience(s.doc);
      const k = to === 'any-served' ? '' : to.community;
      const g = groups.get(k) ?? { to, docs: [] };
      g.docs.push(s);
      groups.set(k, g);
    }
    return [...groups.values()].map((g) => this.seal(g.to, encodePayload({ t: 'docs', docs: g.docs })));
  }

  /**
   * The payload of a change-set or contact-sync bundle as this relay may read it, or undefined: sealed
   * and opened with this relay's key after a valid relay signature by a relay `listed` says the
   * community names, or clear (older relays; the write policy then refuses it unless signed).
   */
  open(data: Uint8Array, author: ChangeSetAuthorship, what: 'change-set' | 'contact sync', listed: (relay: string) => boolean): Uint8Array | undefined {
    if (!isSealedCarriage(data)) {
      if (!author.ok) return data; // refused by the write policy after decoding, as before (and logged there)
      this.counts.clearTaken++;
      return data;
    }
    if (!author.ok || !listed(author.relay)) {
      this.counts.refused++;
      this.note(author.ok ? `sealed ${what} from relay ${author.relay}, not one of the community's relays: not opened` : `sealed ${what} ${author.reason}: not opened`);
      return undefined;
    }
    const r = openCarriage(data, this.opener, this.dh);
    if (r.ok) {
      this.counts.opened++;
      return r.payload;
    }
    // Not sealed to us: carried as it is (it stays in the store for the relays it is for).
    if (r.reason === 'not-for-us') this.counts.notForUs++;
    else {
      this.counts.refused++;
      this.note(`sealed ${what} from relay ${author.relay} ${r.reason}`);
    }
    return undefined;
  }

  status() {
    return { ...this.counts };
  }

  private recipient(key: string): Uint8Array | null {
    let x = this.keys.get(key);
    if (x === undefined) {
      try {
        x = carriageRecipient(fromBase64Url(key));
      } catch {
        x = null;
      }
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.clear();
      this.keys.set(key, x);
      if (x === null) this.log.warn({ relay: key }, 'a relay key in a relays list is no usable key; nothing is sealed to it');
    }
    return x;
  }

  private note(why: string): void {
    // Logged at 1, 2, 4, 8… so a stream of hostile bundles cannot flood the log.
    const n = ++this.logged;
    if ((n & (n - 1)) === 0) this.log.warn({ why, seen: n }, 'sealed carriage refused');
  }
}
