/**
 * The simulator's agenda: events ordered by simulated time, ties broken by insertion order so a run
 * is the same every time for the same seed. A binary heap: pushes and pops are O(log n).
 */
interface Scheduled {
  at: number;
  seq: number;
  run: () => void;
}

export class EventQueue {
  private readonly heap: Scheduled[] = [];
  private seq = 0;
  /** Simulated time, ms: the time of the event running now. */
  now = 0;

  get size(): number {
    return this.heap.length;
  }

  at(time: number, run: () => void): void {
    if (!(time >= this.now)) throw new RangeError(`event at ${time} is before now (${this.now})`);
    this.heap.push({ at: time, seq: this.seq++, run });
    this.up(this.heap.length - 1);
  }

  /** Runs events in time order until none is left or the next is after `until`. */
  runUntil(until: number): void {
    while (this.heap.length > 0 && this.heap[0].at <= until) {
      const e = this.pop();
      this.now = e.at;
      e.run();
    }
    this.now = Math.max(this.now, until);
  }

  private less(a: Scheduled, b: Scheduled): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private pop(): Scheduled {
    const top = this.heap[0];
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l], h[m])) m = l;
      if (r < h.length && this.less(h[r], h[m])) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
