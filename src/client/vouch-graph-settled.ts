/** What a steward's phone knows of the feeds behind its vouch graph. */
export interface FeedsProgress {
  /** Whether every member's feed is here and read (the vouch graph misses nobody). */
  feedsLoaded(): boolean;
  /**
   * Whether this phone has read every feed it can have now: each member's feed was looked up (found, or
   * not here yet) and no read is queued. False while a restarted phone is still reading what it holds.
   */
  feedsRead(): boolean;
}

/**
 * How long a steward's phone that has read what it holds waits for feeds still missing (on their way from
 * the hub or through a bridge) before it judges who lost entitlement.
 */
export const SETTLE_MS = 20_000;

/**
 * Whether a steward's phone may act on a member who seems to have lost entitlement (a key rotation).
 * Before every feed is here the vouch graph may miss someone, and a rotation then is for nothing: every
 * author re-seals, every member fetches a new key. So it waits for every feed; a feed that may never come
 * (its member's phone never reached this island) stops the wait SETTLE_MS after this phone has read all
 * it holds. The wait counts from then, not from the start: a phone that restarts with a big community
 * can spend longer than that reading its own copy, and its graph is incomplete all that time.
 */
export class VouchGraphSettled {
  private readSince = 0;

  constructor(
    private readonly feeds: FeedsProgress,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get settled(): boolean {
    if (this.feeds.feedsLoaded()) return true;
    if (!this.feeds.feedsRead()) return false;
    this.readSince ||= this.now();
    return this.now() - this.readSince > SETTLE_MS;
  }
}
