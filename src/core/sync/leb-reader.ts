/** Bytes that do not read as the format says. */
export class Malformed extends Error {}

/**
 * A forward-only reader over Automerge's binary fields (LEB128 numbers, byte runs), for bytes a stranger
 * sent: every read past the end, or a number longer than 10 bytes, throws Malformed.
 */
export class LebReader {
  constructor(
    private readonly bytes: Uint8Array,
    public at = 0,
    private readonly end = bytes.length,
  ) {}

  get done(): boolean {
    return this.at >= this.end;
  }

  /** An unsigned LEB128 as a JS number (precision past 2^53 does not matter for a limit check). */
  uleb(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    throw new Malformed('LEB128 longer than 10 bytes');
  }

  /** A signed LEB128 (run headers are signed: positive repeat, negative literal, zero null run). */
  sleb(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return b & 0x40 ? value - scale : value;
    }
    throw new Malformed('LEB128 longer than 10 bytes');
  }

  skipLeb(): void {
    while (this.byte() >= 0x80);
  }

  skip(n: number): void {
    if (n > this.end - this.at) throw new Malformed('field runs past its chunk');
    this.at += n;
  }

  take(n: number): Uint8Array {
    const start = this.at;
    this.skip(n);
    return this.bytes.subarray(start, this.at);
  }

  byte(): number {
    if (this.at >= this.end) throw new Malformed('truncated');
    return this.bytes[this.at++]!;
  }
}
