import { BundleError } from './errors.ts';

/**
 * A strict, non-recursive CBOR reader for the subset RFC 9171 uses: unsigned integers, byte and
 * text strings, definite maps, and arrays of either length form (RFC 9171 §4.1 makes the bundle an
 * indefinite array and does not forbid indefinite block arrays, which other BPv7 nodes send). It
 * keeps byte offsets (the CRCs need them), rejects non-shortest integer heads, and checks every
 * claimed length against the remaining input before touching it.
 */

export const MajorType = {
  Uint: 0,
  NegInt: 1,
  Bytes: 2,
  Text: 3,
  Array: 4,
  Map: 5,
  Tag: 6,
  Simple: 7,
} as const;

const MAJOR_NAMES = ['unsigned integer', 'negative integer', 'byte string', 'text string', 'array', 'map', 'tag', 'simple/float'];

const BREAK = 0xff;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface Head {
  readonly major: number;
  /** Argument: the integer value, or the length/count; -1 when indefinite. */
  readonly value: number;
  readonly indefinite: boolean;
}

export class CborReader {
  pos: number;
  readonly bytes: Uint8Array;
  readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  peekByte(what: string): number {
    if (this.pos >= this.end) throw truncated(what);
    return this.bytes[this.pos];
  }

  /** True (and consumed) when the next byte is the break that ends an indefinite array. */
  readBreak(what: string): boolean {
    if (this.peekByte(what) !== BREAK) return false;
    this.pos++;
    return true;
  }

  readHead(what: string): Head {
    const initial = this.peekByte(what);
    this.pos++;
    const major = initial >> 5;
    const ai = initial & 0x1f;
    if (ai < 24) return { major, value: ai, indefinite: false };
    if (ai === 31) return this.indefiniteHead(major, what);
    if (ai > 27) throw new BundleError('bad-cbor', `${what}: reserved additional information ${ai}`);
    if (major === MajorType.Simple) throw wrongType(what, 'simple/float');
    const n = 1 << (ai - 24);
    const value = this.readArgument(n, what);
    if (value < minimumFor(n)) throw new BundleError('not-shortest-form', `${what}: ${value} encoded in ${n + 1} bytes`);
    return { major, value, indefinite: false };
  }

  private indefiniteHead(major: number, what: string): Head {
    if (major === MajorType.Simple) throw new BundleError('bad-cbor', `${what}: unexpected break`);
    if (major === MajorType.Uint || major === MajorType.NegInt || major === MajorType.Tag) {
      throw new BundleError('bad-cbor', `${what}: indefinite length on a ${MAJOR_NAMES[major]}`);
    }
    return { major, value: -1, indefinite: true };
  }

  private readArgument(n: number, what: string): number {
    if (this.remaining < n) throw truncated(what);
    const b = this.bytes;
    const p = this.pos;
    this.pos += n;
    if (n === 1) return b[p];
    if (n === 2) return (b[p] << 8) | b[p + 1];
    const hi32 = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
    if (n === 4) return hi32;
    const lo32 = ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0;
    if (hi32 > 0x1fffff) throw new BundleError('integer-too-large', `${what}: integer above 2^53-1`);
    return hi32 * 0x100000000 + lo32;
  }

  /** A definite head of the expected major type. */
  private expect(major: number, what: string): number {
    const head = this.readHead(what);
    if (head.major !== major) throw wrongType(what, MAJOR_NAMES[head.major]);
    if (head.indefinite) throw new BundleError('indefinite-length', `${what}: indefinite-length ${MAJOR_NAMES[major]}`);
    return head.value;
  }

  readUint(what: string): number {
    return this.expect(MajorType.Uint, what);
  }

  readArrayHeader(what: string): number {
    return this.expect(MajorType.Array, what);
  }

  /** An array head of either form: its item count, or undefined when indefinite (closed by a break). */
  readArrayStart(what: string): number | undefined {
    const head = this.readHead(what);
    if (head.major !== MajorType.Array) throw wrongType(what, MAJOR_NAMES[head.major]);
    return head.indefinite ? undefined : head.value;
  }

  /**
   * An array of exactly `items` items in either form. Returns the check to call after reading
   * them: for an indefinite array it consumes the break, refusing any further item.
   */
  readTuple(what: string, items: number, mismatch: () => BundleError): () => void {
    const count = this.readArrayStart(what);
    if (count !== undefined && count !== items) throw mismatch();
    return count === undefined ? () => this.expectBreak(what, mismatch) : () => undefined;
  }

  /** The break closing an indefinite array whose items were all read. */
  expectBreak(what: string, tooMany: () => BundleError): void {
    if (!this.readBreak(`${what} (no closing break)`)) throw tooMany();
  }

  readMapHeader(what: string): number {
    return this.expect(MajorType.Map, what);
  }

  /** A view into the input, not a copy: the claimed length is checked before anything else. */
  readBytes(what: string): Uint8Array {
    return this.take(this.expect(MajorType.Bytes, what), what);
  }

  readText(what: string): string {
    const raw = this.take(this.expect(MajorType.Text, what), what);
    try {
      return utf8.decode(raw);
    } catch {
      throw new BundleError('bad-utf8', `${what}: text is not valid UTF-8`);
    }
  }

  /** The next item's major type, without consuming it. */
  peekMajor(what: string): number {
    return this.peekByte(what) >> 5;
  }

  private take(length: number, what: string): Uint8Array {
    if (length > this.remaining) throw truncated(`${what} (claims ${length} bytes, ${this.remaining} left)`);
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
}

function minimumFor(argumentBytes: number): number {
  return argumentBytes === 1 ? 24 : argumentBytes === 2 ? 0x100 : argumentBytes === 4 ? 0x10000 : 0x100000000;
}

function truncated(what: string): BundleError {
  return new BundleError('truncated', `input ends inside ${what}`);
}

function wrongType(what: string, got: string): BundleError {
  return new BundleError('wrong-type', `${what}: unexpected ${got}`);
}
