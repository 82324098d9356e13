import { concatBytes } from '../crypto/bytes.ts';
/**
 * Removes what a photo says about where and with what it was taken — EXIF (with GPS), XMP, IPTC,
 * comments, text chunks — without decoding or re-encoding the picture: the image data is copied byte for
 * byte. Re-encoding through a canvas also drops metadata, but a photo shared at its original size never
 * goes through one, and people at risk share photos of places. Pure; every loop advances or stops, and
 * anything that does not parse is refused (MediaFormatError), never passed on with its metadata.
 */

export class MediaFormatError extends Error {
  constructor(readonly code: 'malformed' | 'unsupported', message: string) {
    super(message);
    this.name = 'MediaFormatError';
  }
}

export interface Stripped {
  bytes: Uint8Array;
  /** How many metadata segments or chunks were removed. */
  removed: number;
}

/** Image types this module can clean. */
export const STRIPPABLE = ['image/jpeg', 'image/png', 'image/webp'] as const;

export function canStrip(mime: string): boolean {
  return (STRIPPABLE as readonly string[]).includes(mime);
}

/** The image without its metadata, by the type its bytes show (not the name or the claimed mime). */
export function stripImageMetadata(bytes: Uint8Array): Stripped {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return stripJpeg(bytes);
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return stripPng(bytes);
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return stripWebp(bytes);
  throw new MediaFormatError('unsupported', 'not a JPEG, PNG or WebP image');
}

function ascii(b: Uint8Array, at: number, n: number): string {
  return at + n <= b.length ? String.fromCharCode(...b.subarray(at, at + n)) : '';
}


// --- JPEG: a marker stream; entropy-coded data follows each SOS up to the next real marker. ---

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

/** APP0 (JFIF), APP2 only when it is an ICC colour profile, APP14 (Adobe colour transform): needed to show the colours right. */
function keepJpegSegment(marker: number, body: Uint8Array): boolean {
  if (marker === 0xfe) return false; // COM: free text
  if (marker < 0xe0 || marker > 0xef) return true; // tables, frame and scan headers, restart intervals
  if (marker === 0xe0) return ascii(body, 0, 5) === 'JFIF\0'; // not JFXX: an embedded thumbnail
  if (marker === 0xe2) return ascii(body, 0, 12) === 'ICC_PROFILE\0';
  if (marker === 0xee) return ascii(body, 0, 5) === 'Adobe';
  return false; // APP1 Exif/XMP, APP13 IPTC, and every other application segment
}

function stripJpeg(b: Uint8Array): Stripped {
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let removed = 0;
  let pos = 2;
  for (;;) {
    // Fill bytes (0xFF runs) may precede a marker.
    if (b[pos] !== 0xff) throw new MediaFormatError('malformed', `JPEG: no marker at ${pos}`);
    while (b[pos] === 0xff && b[pos + 1] === 0xff) pos++;
    const marker = b[pos + 1];
    if (marker === undefined) throw new MediaFormatError('malformed', 'JPEG: ends inside a marker');
    if (marker === EOI) {
      parts.push(b.subarray(pos, pos + 2));
      break; // anything after the end of the image (appended thumbnails, data) is dropped
    }
    if (marker === SOI || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      parts.push(b.subarray(pos, pos + 2));
      pos += 2;
      continue;
    }
    if (pos + 4 > b.length) throw new MediaFormatError('malformed', 'JPEG: ends inside a segment header');
    const len = (b[pos + 2] << 8) | b[pos + 3];
    const end = pos + 2 + len;
    if (len < 2 || end > b.length) throw new MediaFormatError('malformed', `JPEG: segment length ${len} at ${pos}`);
    const body = b.subarray(pos + 4, end);
    if (keepJpegSegment(marker, body)) parts.push(b.subarray(pos, end));
    else removed++;
    pos = end;
    if (marker === SOS) {
      // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or a restart marker inside it.
      const start = pos;
      while (pos < b.length && !(b[pos] === 0xff && b[pos + 1] !== 0x00 && !(b[pos + 1] >= 0xd0 && b[pos + 1] <= 0xd7))) pos++;
      if (pos >= b.length) throw new MediaFormatError('malformed', 'JPEG: no end of image');
      parts.push(b.subarray(start, pos));
    }
  }
  return { bytes: concatBytes(...parts), removed };
}

// --- PNG: signature, then length-type-data-crc chunks up to IEND. ---

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Text (any key: Author, Comment, XML:com.adobe.xmp…), EXIF and the last-modified time. */
const PNG_METADATA = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

function stripPng(b: Uint8Array): Stripped {
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  let removed = 0;
  let pos = 8;
  for (;;) {
    if (pos + 12 > b.length) throw new MediaFormatError('malformed', 'PNG: ends before IEND');
    const len = ((b[pos] << 24) | (b[pos + 1] << 16) | (b[pos + 2] << 8) | b[pos + 3]) >>> 0;
    const type = ascii(b, pos + 4, 4);
    const end = pos + 12 + len;
    if (!/^[A-Za-z]{4}$/.test(type) || end > b.length) throw new MediaFormatError('malformed', `PNG: bad chunk at ${pos}`);
    if (PNG_METADATA.has(type)) removed++;
    else parts.push(b.subarray(pos, end));
    pos = end;
    if (type === 'IEND') break; // trailing bytes are dropped
  }
  return { bytes: concatBytes(...parts), removed };
}

// --- WebP: RIFF container; EXIF and XMP are chunks, flagged in VP8X. ---

const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

function stripWebp(b: Uint8Array): Stripped {
  const riffEnd = 8 + (((b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0));
  if (riffEnd > b.length || riffEnd < 12) throw new MediaFormatError('malformed', 'WebP: bad RIFF size');
  const parts: Uint8Array[] = [];
  let removed = 0;
  let pos = 12;
  while (pos < riffEnd) {
    if (pos + 8 > riffEnd) throw new MediaFormatError('malformed', 'WebP: ends inside a chunk header');
    const type = ascii(b, pos, 4);
    const len = (b[pos + 4] | (b[pos + 5] << 8) | (b[pos + 6] << 16) | (b[pos + 7] << 24)) >>> 0;
    const end = pos + 8 + len + (len & 1);
    if (end > riffEnd) throw new MediaFormatError('malformed', `WebP: chunk ${type} overruns the file`);
    if (type === 'EXIF' || type === 'XMP ') removed++;
    else if (type === 'VP8X' && len >= 1) {
      const chunk = b.slice(pos, end);
      chunk[8] &= ~(VP8X_EXIF | VP8X_XMP);
      parts.push(chunk);
    } else parts.push(b.subarray(pos, end));
    pos = end;
  }
  const body = concatBytes(...parts);
  const size = body.length + 4;
  const head = new Uint8Array([0x52, 0x49, 0x46, 0x46, size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, (size >>> 24) & 0xff, 0x57, 0x45, 0x42, 0x50]);
  return { bytes: concatBytes(head, body), removed };
}
