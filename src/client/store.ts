/**
 * A tiny observable state: plain data a client module owns, and a subscription for whoever renders it.
 * The Svelte side mirrors it into `$state`; Node code (tests, a phone without a browser) just reads it.
 */
export class Store<T extends object> {
  private current: T;
  private readonly listeners = new Set<(state: T) => void>();

  constructor(initial: T) {
    this.current = initial;
  }

  get state(): Readonly<T> {
    return this.current;
  }

  /** Replaces the named fields (a new object each time, so a renderer can compare by reference). */
  set(patch: Partial<T>): void {
    this.current = { ...this.current, ...patch };
    for (const fn of this.listeners) fn(this.current);
  }

  /** Calls `fn` at once and after every change; returns the unsubscribe. */
  subscribe(fn: (state: T) => void): () => void {
    this.listeners.add(fn);
    fn(this.current);
    return () => this.listeners.delete(fn);
  }
}
