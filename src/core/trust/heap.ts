/**
 * Max-heap of (key, node) with ties broken by the smaller node number, so that pop order is a pure
 * function of the keys — never of insertion order. Entries may go stale; callers skip them.
 */
export class MaxHeap {
  private keys: number[] = [];
  private nodes: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number, node: number): void {
    this.keys.push(key);
    this.nodes.push(node);
    this.up(this.keys.length - 1);
  }

  /** Returns the node of the best entry and leaves its key in `lastKey`. */
  lastKey = 0;
  pop(): number {
    const node = this.nodes[0];
    this.lastKey = this.keys[0];
    const k = this.keys.pop() as number;
    const n = this.nodes.pop() as number;
    if (this.keys.length > 0) {
      this.keys[0] = k;
      this.nodes[0] = n;
      this.down(0);
    }
    return node;
  }

  private better(i: number, j: number): boolean {
    const a = this.keys[i];
    const b = this.keys[j];
    return a > b || (a === b && this.nodes[i] < this.nodes[j]);
  }

  private swap(i: number, j: number): void {
    const k = this.keys[i];
    this.keys[i] = this.keys[j];
    this.keys[j] = k;
    const n = this.nodes[i];
    this.nodes[i] = this.nodes[j];
    this.nodes[j] = n;
  }

  clear(): void {
    this.keys.length = 0;
    this.nodes.length = 0;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.better(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.keys.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.better(l, m)) m = l;
      if (r < n && this.better(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
