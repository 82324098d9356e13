/**
 * What each peer has been sent or has sent us, for push routing (push.ts): dtn7's epidemic scheme
 * remembers this per peer so a bundle goes to a peer once, across contacts. Bounded in total, because
 * a neighbour may present a fresh node ID on every dial: past MAX_HISTORY_IDS the oldest entries of the
 * least recently seen peer go first. Forgetting costs at most a repeat, which the peer drops.
 */
export const MAX_HISTORY_IDS = 200_000;
/** Peers remembered at once; the least recently seen is forgotten first. */
export const MAX_HISTORY_PEERS = 1024;

export class PeerHistory {
  /** Insertion order is recency: a peer seen again moves to the end. */
  private readonly peers = new Map<string, Set<string>>();
  private total = 0;

  constructor(
    private readonly maxIds = MAX_HISTORY_IDS,
    private readonly maxPeers = MAX_HISTORY_PEERS,
  ) {}

  /** The peer's set (created if new), marked as the most recently seen. */
  of(peer: string): ReadonlySet<string> {
    return this.touch(peer);
  }

  has(peer: string, id: string): boolean {
    return this.peers.get(peer)?.has(id) ?? false;
  }

  add(peer: string, id: string): void {
    const set = this.touch(peer);
    if (set.has(id)) return;
    set.add(id);
    this.total++;
    this.trim(peer);
  }

  delete(peer: string, id: string): void {
    if (this.peers.get(peer)?.delete(id)) this.total--;
  }

  /** Drops ids for which `keep` is false (bundles gone from the store): they can never be offered again. */
  prune(peer: string, keep: (id: string) => boolean): void {
    const set = this.peers.get(peer);
    if (!set) return;
    for (const id of set)
      if (!keep(id)) {
        set.delete(id);
        this.total--;
      }
  }

  /** Forgets a peer entirely (e.g. an anonymous one whose contact ended). */
  forget(peer: string): void {
    const set = this.peers.get(peer);
    if (!set) return;
    this.total -= set.size;
    this.peers.delete(peer);
  }

  /**
   * What survives a restart (routing-state-file.ts): each named peer's ids, least recently seen first.
   * Keys starting with ' ' (anonymous peers, push.ts) are left out: such a peer cannot be known again.
   */
  snapshot(): Array<[string, string[]]> {
    return [...this.peers].filter(([peer]) => !peer.startsWith(' ')).map(([peer, set]) => [peer, [...set]]);
  }

  /** A snapshot read back, within this history's bounds (the oldest go first, as when they were added). */
  restore(s: ReadonlyArray<readonly [string, readonly string[]]>): void {
    for (const [peer, ids] of s) for (const id of ids) this.add(peer, id);
  }

  get size(): { peers: number; ids: number } {
    return { peers: this.peers.size, ids: this.total };
  }

  private touch(peer: string): Set<string> {
    let set = this.peers.get(peer);
    if (set) this.peers.delete(peer);
    else set = new Set();
    this.peers.set(peer, set);
    while (this.peers.size > this.maxPeers) {
      const oldest = this.peers.keys().next().value as string;
      this.forget(oldest);
    }
    return set;
  }

  /** Brings the total under the bound, oldest peers' oldest ids first; `current` is trimmed last. */
  private trim(current: string): void {
    for (const [peer, set] of this.peers) {
      if (this.total <= this.maxIds) return;
      if (peer === current && this.peers.size > 1) continue;
      for (const id of set) {
        if (this.total <= this.maxIds) return;
        set.delete(id);
        this.total--;
      }
    }
    const set = this.peers.get(current);
    if (!set) return;
    for (const id of set) {
      if (this.total <= this.maxIds) return;
      set.delete(id);
      this.total--;
    }
  }
}
