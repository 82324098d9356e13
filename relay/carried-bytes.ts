/**
 * Bytes of carried hand-ins this relay still keeps, per member: what each member's phone put into the
 * bundle store that is still there. Rates alone (CARRY_QUOTA) let one member fill the store over hours
 * and push out what other members and other islands sent; a cap on what is *kept* does not.
 * Bundles leave the count when they leave the store (forwarded and dropped, expired, evicted): each
 * look prunes the member's list against the store. Saved in the data dir (relay/carry-service.ts) so a
 * restart does not forget who brought what: otherwise a member could fill their cap, wait for a restart,
 * and fill it again.
 */
/** What is saved: per member, the ids and sizes of their hand-ins the store kept. */
export type CarriedSnapshot = Record<string, Record<string, number>>;

/** Bounds on a saved file, which may be damaged or written by someone else: agent keys, bundle ids, sizes. */
const MEMBER = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_ID_LENGTH = 256;
const MAX_ENTRIES = 200_000;
const MAX_SIZE = 2 ** 40;

export class CarriedBytes {
  private readonly byMember = new Map<string, Map<string, number>>();

  constructor(
    /** Most bytes kept from one member's hand-ins. */
    readonly capBytes: number,
    private readonly inStore: (id: string) => boolean,
  ) {}

  /** Bytes of `member`'s hand-ins still in the store. */
  kept(member: string): number {
    const mine = this.byMember.get(member);
    if (!mine) return 0;
    let total = 0;
    for (const [id, size] of mine) {
      if (this.inStore(id)) total += size;
      else mine.delete(id);
    }
    if (mine.size === 0) this.byMember.delete(member);
    return total;
  }

  /** Room left under the cap for `member`. */
  room(member: string): number {
    return Math.max(0, this.capBytes - this.kept(member));
  }

  /** `member`'s hand-in `id` (of `size` bytes) is now in the store. */
  add(member: string, id: string, size: number): void {
    const mine = this.byMember.get(member) ?? new Map<string, number>();
    mine.set(id, size);
    this.byMember.set(member, mine);
  }

  /** Every entry, to save. */
  snapshot(): CarriedSnapshot {
    return Object.fromEntries([...this.byMember].map(([member, ids]) => [member, Object.fromEntries(ids)]));
  }

  /**
   * Takes back a saved snapshot. A file is input like any other: entries that are not a member key, a
   * bundle id and a whole positive size are skipped, and so is anything past a bound; what is no longer in
   * the store leaves at the next look. Returns how many entries were taken.
   */
  restore(saved: unknown): number {
    if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) return 0;
    let taken = 0;
    for (const [member, ids] of Object.entries(saved)) {
      if (!MEMBER.test(member) || typeof ids !== 'object' || ids === null || Array.isArray(ids)) continue;
      for (const [id, size] of Object.entries(ids as Record<string, unknown>)) {
        if (taken >= MAX_ENTRIES) return taken;
        if (id.length > MAX_ID_LENGTH || typeof size !== 'number' || !Number.isInteger(size) || size <= 0 || size > MAX_SIZE) continue;
        this.add(member, id, size);
        taken++;
      }
    }
    return taken;
  }

  /** Members with something kept, for /api/status. */
  members(): number {
    return this.byMember.size;
  }
}
