import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MediaFormatError, stripImageMetadata } from '../../../src/core/media/strip-metadata.ts';

// openspec/changes/audience-app — photos lose location and camera details before they are shared.
const enc = new TextEncoder();
const bytes = (...parts: Array<Uint8Array | number[] | string>) => {
  const arrays = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p instanceof Uint8Array ? p : new Uint8Array(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) (out.set(a, at), (at += a.length));
  return out;
};

// --- JPEG builders: segments as [marker, body] and entropy data with 0xFF stuffed. ---

type Seg = { marker: number; body: Uint8Array; image: boolean };
const segment = (s: Seg) => bytes([0xff, s.marker, (s.body.length + 2) >> 8, (s.body.length + 2) & 0xff], s.body);
const payload = fc.uint8Array({ maxLength: 300 });
const withPrefix = (prefix: string) => payload.map((p) => bytes(prefix, p));

const metadataSeg: fc.Arbitrary<Seg> = fc.oneof(
  withPrefix('Exif\0\0GPS 40.4168N 3.7038W Pixel 8').map((body) => ({ marker: 0xe1, body, image: false })),
  withPrefix('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>').map((body) => ({ marker: 0xe1, body, image: false })),
  withPrefix('Photoshop 3.0\0IPTC').map((body) => ({ marker: 0xed, body, image: false })),
  withPrefix('taken at the safe house').map((body) => ({ marker: 0xfe, body, image: false })),
  fc.tuple(fc.integer({ min: 0xe3, max: 0xed }), payload).map(([marker, body]) => ({ marker, body, image: false })),
);
const imageSeg: fc.Arbitrary<Seg> = fc.oneof(
  withPrefix('JFIF\0').map((body) => ({ marker: 0xe0, body, image: true })),
  payload.map((body) => ({ marker: 0xdb, body, image: true })), // DQT
  payload.map((body) => ({ marker: 0xc4, body, image: true })), // DHT
  payload.map((body) => ({ marker: 0xc0, body, image: true })), // SOF0
  withPrefix('ICC_PROFILE\0').map((body) => ({ marker: 0xe2, body, image: true })),
);
/** Entropy-coded data: any bytes, 0xFF stuffed with 0x00, restart markers allowed inside. */
const entropy = fc.array(fc.oneof(fc.integer({ min: 0, max: 0xfe }).map((b) => [b]), fc.constant([0xff, 0x00]), fc.integer({ min: 0xd0, max: 0xd7 }).map((m) => [0xff, m])), { maxLength: 400 }).map((xs) => new Uint8Array(xs.flat()));
const scan = fc.tuple(payload, entropy).map(([header, data]) => ({ header, data }));
const jpeg = fc.record({ segs: fc.array(fc.oneof(metadataSeg, imageSeg), { maxLength: 12 }), scans: fc.array(scan, { minLength: 1, maxLength: 3 }), trailer: fc.uint8Array({ maxLength: 40 }) });

function buildJpeg(j: { segs: Seg[]; scans: Array<{ header: Uint8Array; data: Uint8Array }>; trailer: Uint8Array }) {
  const scans = j.scans.map((s) => bytes(segment({ marker: 0xda, body: s.header, image: true }), s.data));
  return bytes([0xff, 0xd8], ...j.segs.map(segment), ...scans, [0xff, 0xd9], j.trailer);
}

/** The markers of a JPEG's segments, in order (parsing as the stripper does). */
function markersOf(b: Uint8Array): number[] {
  const out: number[] = [];
  let pos = 2;
  while (pos < b.length) {
    const m = b[pos + 1];
    out.push(m);
    if (m === 0xd9) break;
    pos += 2 + ((b[pos + 2] << 8) | b[pos + 3]);
    if (m === 0xda) while (!(b[pos] === 0xff && b[pos + 1] !== 0 && !(b[pos + 1] >= 0xd0 && b[pos + 1] <= 0xd7))) pos++;
  }
  return out;
}

// --- PNG builders ---

const chunk = (type: string, data: Uint8Array) => bytes([data.length >>> 24, (data.length >>> 16) & 0xff, (data.length >>> 8) & 0xff, data.length & 0xff], type, data, [1, 2, 3, 4]);
const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const pngChunk = fc.oneof(
  fc.tuple(fc.constantFrom('tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME'), withPrefix('GPSLatitude')).map(([type, data]) => ({ type, data, image: false })),
  fc.tuple(fc.constantFrom('IDAT', 'PLTE', 'gAMA', 'sRGB', 'pHYs'), payload).map(([type, data]) => ({ type, data, image: true })),
);

describe('image metadata stripper', () => {
  it('Scenario: a JPEG loses its EXIF, XMP, IPTC and comment segments and keeps every image segment byte for byte', () => {
    fc.assert(
      fc.property(jpeg, (j) => {
        const input = buildJpeg(j);
        const { bytes: out, removed } = stripImageMetadata(input);
        const markers = markersOf(out);
        expect(markers.filter((m) => m === 0xe1 || m === 0xed || m === 0xfe || (m >= 0xe3 && m <= 0xed))).toEqual([]);
        expect(removed).toBe(j.segs.filter((s) => !s.image).length);
        const expected = buildJpeg({ ...j, segs: j.segs.filter((s) => s.image), trailer: new Uint8Array() });
        expect(out).toEqual(expected);
        // Stripping twice changes nothing more.
        expect(stripImageMetadata(out)).toEqual({ bytes: out, removed: 0 });
      }),
    );
  });

  it('Scenario: a PNG loses its text, EXIF and time chunks and keeps its image chunks', () => {
    fc.assert(
      fc.property(fc.array(pngChunk, { maxLength: 10 }), (chunks) => {
        const ihdr = chunk('IHDR', new Uint8Array(13));
        const input = bytes(PNG_SIG, ihdr, ...chunks.map((c) => chunk(c.type, c.data)), chunk('IEND', new Uint8Array()));
        const { bytes: out, removed } = stripImageMetadata(input);
        expect(removed).toBe(chunks.filter((c) => !c.image).length);
        expect(out).toEqual(bytes(PNG_SIG, ihdr, ...chunks.filter((c) => c.image).map((c) => chunk(c.type, c.data)), chunk('IEND', new Uint8Array())));
        expect(new TextDecoder('latin1').decode(out)).not.toContain('GPSLatitude');
      }),
    );
  });

  it('Scenario: a WebP loses its EXIF and XMP chunks and their flags', () => {
    const vp8x = bytes('VP8X', [10, 0, 0, 0], [VP8X_FLAGS, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const exif = bytes('EXIF', [5, 0, 0, 0], 'GPS!!', [0]);
    const xmp = bytes('XMP ', [4, 0, 0, 0], '<x/>');
    const image = bytes('VP8L', [3, 0, 0, 0], [1, 2, 3], [0]);
    const body = bytes('WEBP', vp8x, exif, xmp, image);
    const file = bytes('RIFF', [body.length & 0xff, body.length >> 8, 0, 0], body);
    const { bytes: out, removed } = stripImageMetadata(file);
    expect(removed).toBe(2);
    const rest = bytes('WEBP', bytes('VP8X', [10, 0, 0, 0], [VP8X_FLAGS & ~0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0]), image);
    expect(out).toEqual(bytes('RIFF', [rest.length & 0xff, rest.length >> 8, 0, 0], rest));
  });

  it('Scenario: a broken or unknown file is refused, never passed on with its metadata', () => {
    fc.assert(
      fc.property(jpeg, fc.nat(), (j, cut) => {
        const input = buildJpeg(j);
        const eoi = input.length - j.trailer.length - 2;
        const truncated = input.subarray(0, 2 + (cut % Math.max(1, eoi - 2)));
        try {
          const { bytes: out } = stripImageMetadata(truncated);
          expect(markersOf(out).filter((m) => m === 0xe1 || m === 0xfe)).toEqual([]);
        } catch (err) {
          expect(err).toBeInstanceOf(MediaFormatError);
        }
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        try {
          stripImageMetadata(junk);
        } catch (err) {
          expect(err).toBeInstanceOf(MediaFormatError);
        }
      }),
    );
    expect(() => stripImageMetadata(enc.encode('GIF89a'))).toThrow(MediaFormatError);
  });
});

const VP8X_FLAGS = 0x3c; // ICC, alpha, EXIF, XMP
