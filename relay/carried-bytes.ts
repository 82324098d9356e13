/**
 * Bytes of carried hand-ins this relay still keeps, per member: what each member's phone put into the
 * bundle store that is still there. Rates alone (CARRY_QUOTA) let one member fill the store over hours
 * and push out what other members and other islands sent; a cap on what is *kept* does not.
 * Bundles leave the count when they leave the store (forwarded and dropped, expired, evicted): each
 * look prunes the member's list against the store. In memory only: a restart forgets who brought what.
 */
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

  /** Members with something kept, for /api/status. */
  members(): number {
    return this.byMember.size;
  }
}
