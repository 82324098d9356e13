// A FIFO of received chunks that hands out contiguous prefixes without
// re-copying the whole backlog on every read.

export class ChunkQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // offset into chunks[0]
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // Node Buffers are Uint8Array subclasses whose slice() does not copy; keep plain views
    // so every later slice() really copies.
    this.chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.size += chunk.length;
  }

  /** Byte at offset i (i < length). */
  at(i: number): number {
    let offset = i + this.head;
    for (const c of this.chunks) {
      if (offset < c.length) return c[offset];
      offset -= c.length;
    }
    throw new RangeError('ChunkQueue.at past end');
  }

  /** Copy of the first n bytes (n <= length), leaving them queued. */
  peek(n: number): Uint8Array {
    if (n > this.size) throw new RangeError('ChunkQueue.peek past end');
    const first = this.chunks[0];
    if (first && first.length - this.head >= n) return first.subarray(this.head, this.head + n);
    const out = new Uint8Array(n);
    let filled = 0;
    let offset = this.head;
    for (const c of this.chunks) {
      if (filled === n) break;
      const take = Math.min(c.length - offset, n - filled);
      out.set(c.subarray(offset, offset + take), filled);
      filled += take;
      offset = 0;
    }
    return out;
  }

  /** Removes and returns the first n bytes. */
  take(n: number): Uint8Array {
    const out = this.peek(n).slice();
    this.discard(n);
    return out;
  }

  /** Removes the first n bytes. */
  discard(n: number): void {
    if (n > this.size) throw new RangeError('ChunkQueue.discard past end');
    this.size -= n;
    let left = n;
    while (left > 0) {
      const avail = this.chunks[0].length - this.head;
      if (left < avail) {
        this.head += left;
        return;
      }
      left -= avail;
      this.chunks.shift();
      this.head = 0;
    }
  }
}
