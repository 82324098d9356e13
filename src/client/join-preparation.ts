import { createIdentity, type Identity } from '../core/crypto/keys.ts';

/**
 * What a newcomer's join needs that does not depend on their answers, made while they answer the
 * first-run questions instead of after they tap Join: their keys (tweetnacl's key pairs, about 150 ms at
 * 4× CPU slowdown) and the repo's code and wasm, fetched and compiled (about 200 ms more), then warmed
 * (platform/automerge-warmup.ts). A profile of
 * a newcomer's first screen at 4× found both on the way to it (bench/lib/profile-join.ts).
 * The keys stay in memory only, and only until the join takes them: nothing is stored before the person
 * joins, and a restored backup's identity is used instead.
 */
export class JoinPreparation {
  private spare: Identity | undefined;
  private started = false;
  private joining = false;

  constructor(
    private readonly afterPaint: () => Promise<void>,
    private readonly prepareRepo: ((wanted: () => boolean) => Promise<void>) | undefined,
    private readonly makeIdentity: () => Identity = createIdentity,
  ) {}

  /** Starts once, after the screen in front of the person has painted. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.afterPaint().then(() => {
      // A failed fetch is left to the join, which fetches again and says so in plain words if it cannot.
      void this.prepareRepo?.(() => !this.joining).catch(() => undefined);
      this.spare ??= this.makeIdentity();
    });
  }

  /** The join has begun: what is still being prepared ahead stops (the join does the rest itself). */
  joined(): void {
    this.joining = true;
  }

  /** The keys made ahead, once; fresh ones when none were. */
  identity(): Identity {
    const me = this.spare ?? this.makeIdentity();
    this.spare = undefined;
    return me;
  }
}
