import type { DocHandle } from '@automerge/automerge-repo/slim';
import { buildKeyring, communityContext, entitledProfiles, keyDuties, kidsOf, resealOutdated, type Keyring } from '../core/audience/index.ts';
import type { Identity } from '../core/crypto/keys.ts';
import { validMember } from '../core/model/community.ts';
import type { CommunityDoc, FeedDoc, MemberEntry, TrustThresholds, Vouch } from '../core/model/types.ts';
import { Store } from './store.ts';
import { VouchGraphSettled, type FeedsProgress } from './vouch-graph-settled.ts';
import { plainScalars } from '../core/model/scalar-strings.ts';
import { putSealed } from '../core/model/put-sealed.ts';
import { signedProfile } from './signed-profile.ts';

/**
 * Who hands out the members' key: the members among the signed steward set, the same on every phone.
 * A relay's default community is founded by the relay's key (not a member: no box key to issue with);
 * its relay appoints the first member steward with a signed setting soon after she joins, and until
 * then nobody issues. Never a phone's own roots (itself, whoever invited it): phones that disagree on
 * who may issue would take keys from different people — and a newcomer's phone would believe whoever
 * invited it.
 */
export function keyIssuers(signed: { founder?: string; stewards: readonly string[]; members: Record<string, MemberEntry> }): string[] {
  return signed.stewards.filter((id) => validMember(id, signed.members[id])).sort();
}

/** What the members' key needs: only shared, signed data, so every steward's phone decides alike. */
export interface MembersKeyHost extends FeedsProgress {
  me: Identity;
  community(): DocHandle<CommunityDoc> | undefined;
  feed(): DocHandle<FeedDoc> | undefined;
  /** Valid vouches from every member's feed, the signed steward set and members, the community's thresholds. */
  shared(): { vouches: readonly Pick<Vouch, 'from' | 'to' | 'strength'>[]; stewards: readonly string[]; members: Record<string, MemberEntry>; thresholds: TrustThresholds; removed?: Readonly<Record<string, number>> } | null;
  /** The keyring changed: posts sealed for members are read again. */
  keysChanged(): void;
  wrote(): Promise<void>;
}

export interface MembersKeyState {
  /** Epochs of the members' keys this phone holds; empty: it cannot read or write members-only posts yet. */
  epochs: number[];
  /** Key rotations this phone wrote (an entitled member lost entitlement). */
  rotations: number;
}

/**
 * How long a members-only post waits for this phone's first key. Right after founding, the relay's
 * appointment of the first organiser (and so the first key) is still on its way.
 */
const FIRST_KEY_WAIT_MS = 20_000;
const FIRST_KEY_RETRY_MS = 500;

/**
 * The `members` audience on this phone (issue #17): opens the key envelopes stewards sealed to me, and —
 * on a steward's phone, as the sanctuary does — keeps them current with keyDuties: envelopes for members
 * newly vouched above the post threshold, a new epoch when a key holder lost entitlement. Each phone then
 * re-seals its own members-only posts still under an older key, so a member who lost entitlement cannot
 * read them from that point on.
 */
export class MembersKey {
  readonly state = new Store<MembersKeyState>({ epochs: [], rotations: 0 });
  private ring: Keyring = new Map();
  private queued = false;
  private running: Promise<void> = Promise.resolve();
  private readonly graph: VouchGraphSettled;
  private timer?: ReturnType<typeof setTimeout>;
  private stopped = false;
  /** Whether the keyring was worked out from the community doc at least once since this phone started. */
  private known = false;

  constructor(private readonly host: MembersKeyHost) {
    this.graph = new VouchGraphSettled(host);
  }

  keyring(): Keyring {
    return this.ring;
  }

  /** False right after a start, until the keys this phone holds are read from the community doc. */
  get keysKnown(): boolean {
    return this.known;
  }

  /** Coalesces bursts of trust and community changes into one refresh. */
  schedule(): void {
    if (this.queued || this.stopped) return;
    this.queued = true;
    setTimeout(() => {
      this.queued = false;
      void this.settle();
    }, 0);
  }

  /** Runs a refresh after any in flight (posting waits for it so a steward's first key exists). */
  settle(): Promise<void> {
    this.running = this.running.then(() => this.refresh()).catch((err) => console.error('members key', err));
    return this.running;
  }

  /** Settles; while this phone holds no key yet, settles again for a while (FIRST_KEY_WAIT_MS). */
  async settledWithKey(waitMs = FIRST_KEY_WAIT_MS): Promise<void> {
    const until = Date.now() + waitMs;
    await this.settle();
    while (this.keyring().size === 0 && !this.stopped && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, FIRST_KEY_RETRY_MS));
      await this.settle();
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async refresh(): Promise<void> {
    const handle = this.host.community();
    const community = handle?.doc();
    const shared = this.host.shared();
    if (!handle || !community || !shared || this.stopped) return;
    const me = this.host.me;
    // The community's view as a set (steward anchors, published vouches): equal docs, equal decisions.
    const trust = communityContext(shared.vouches, shared.stewards, shared.thresholds, 'steward', undefined, shared.removed);
    const envelopes = Object.values(community.audienceKeys ?? {});
    const profileOf = (id: string) => signedProfile(community, id);
    let ring = buildKeyring(me, 'members', envelopes, profileOf, trust.isSteward).keyring;
    const settled = this.graph.settled;
    if (!settled) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.schedule(), 2_000);
    }
    if (trust.isSteward(me.agentId)) {
      const entitled = entitledProfiles('members', shared.members, trust);
      const duty = keyDuties({ audience: 'members', me, keyring: ring, envelopes, entitled, isIssuer: trust.isSteward, now: Date.now() });
      // Before every feed is here the vouch graph may miss someone: handing out keys (or the first one)
      // is safe then — the rest follow — but a rotation for a "lost" member would be for nothing.
      const premature = !settled && duty.kind === 'rotate' && duty.why !== 'first-key';
      if (duty.kind !== 'none' && !premature) {
        handle.change((d) => {
          d.audienceKeys ??= {};
          for (const e of duty.envelopes) d.audienceKeys[e.id] = e;
        });
        if (duty.kind === 'rotate') {
          ring = duty.keyring;
          if (duty.why !== 'first-key') this.state.set({ rotations: this.state.state.rotations + 1 });
        }
        await this.host.wrote();
      }
    }
    const changed = !sameKids(ring, this.ring);
    const first = !this.known;
    this.ring = ring;
    this.known = true;
    this.state.set({ epochs: [...ring.keys()].sort((a, b) => a - b) });
    if (changed) await this.resealMine();
    // The first time too: feeds read before the keys were known kept their sealed rows until now.
    if (changed || first) this.host.keysChanged();
  }

  /** My members-only posts still sealed under an older (or a losing concurrent) key, sealed again under the current one. */
  private async resealMine(): Promise<void> {
    const feed = this.host.feed();
    const sealed = feed?.doc()?.sealed;
    if (!feed || !sealed) return;
    const entries = Object.entries(sealed);
    const again = resealOutdated(entries.map(([, s]) => plainScalars(s)), this.ring);
    if (again.size === 0) return;
    feed.change((d) => {
      for (const [i, s] of again) putSealed(d, { id: entries[i][0], ...s });
    });
    await this.host.wrote();
  }
}

/** The same keys, read-only ones included (posts sealed under a read-only key are read, and re-sealed, once it arrives). */
function sameKids(a: Keyring, b: Keyring): boolean {
  const all = (r: Keyring) => new Set([...kidsOf(r), ...(r.readOnly ? kidsOf(r.readOnly) : [])]);
  const x = all(a);
  const y = all(b);
  return x.size === y.size && [...x].every((k) => y.has(k));
}
