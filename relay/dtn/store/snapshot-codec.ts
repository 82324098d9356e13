import { createHash } from 'node:crypto';
import { MAX_TEXT_LENGTH } from './meta.ts';
import { BUNDLE_SUFFIX } from './paths.ts';
import { MAX_HEADER_BYTES } from './record.ts';
import type { Entry } from './scan.ts';
import { AUDIENCES, PRIORITIES, type BundleMeta } from './types.ts';

/*
 * The index snapshot's bytes (index-snapshot.ts says when it is written and trusted). Binary, so an
 * open of 100,000 bundles decodes numbers in place instead of parsing 100,000 JSON lines:
 *
 *   head (52 bytes): "DTNX" | version u8 (3) | 3 zero bytes | entry count u32 | string count u32 |
 *                    body length u32 | sha256 of the 20 bytes before it and the body (32)
 *   body: the string table (sources and destinations, each once: u16 byte length + UTF-8), then per entry
 *         name hash (32: the file name without its ".bundle", as bytes) | header bytes u32 |
 *         createdAt f64 | expiresAt f64 | size f64 | source u32 | destination u32 (table indexes) |
 *         priority u8 | audience u8 (indexes into PRIORITIES, AUDIENCES) | flags u8 (1 pinned, 2 local, 4 anonymous) |
 *         id length u16 | id UTF-8
 * All little-endian. The digest, the counts and the exact body length catch damage and truncation; every
 * field is range-checked as well, so a forged snapshot with a correct digest still yields only entries a
 * bundle file could have (whether they match their files is the check after open's job, verify-pass.ts).
 * File names are rebuilt from the hash bytes, so a snapshot can only ever name bundle files.
 */
const MAGIC = 0x584e5444; // "DTNX" read as u32 LE
const VERSION = 3;
const HEAD = 52;
const DIGEST = 32;
const NAME_HASH = 32;
const ENTRY_FIXED = NAME_HASH + 4 + 8 + 8 + 8 + 4 + 4 + 1 + 1 + 1 + 2;
/** A UTF-16 unit takes at most 3 bytes of UTF-8. */
const MAX_TEXT_BYTES = 3 * MAX_TEXT_LENGTH;
/** magic, version, length and digest of a record (record.ts) with at least one byte of JSON */
const MIN_HEADER_BYTES = 9 + 1 + 32;
const PINNED = 1;
const LOCAL = 2;
/** Added without a version bump: a snapshot with it fails an older relay's flag check, which then scans. */
const ANONYMOUS = 4;

const HEX = new TextEncoder().encode('0123456789abcdef');

/** Over everything but the digest itself: the head's counts and the body. */
function digestOf(file: Buffer): Buffer {
  return createHash('sha256').update(file.subarray(0, 20)).update(file.subarray(HEAD)).digest();
}

export function encodeSnapshot(entries: Iterable<Entry>): Uint8Array {
  const list = [...entries];
  const strings = new Map<string, number>();
  const intern = (s: string): number => {
    let i = strings.get(s);
    if (i === undefined) strings.set(s, (i = strings.size));
    return i;
  };
  let size = HEAD;
  for (const { meta } of list) {
    intern(meta.source);
    intern(meta.destination);
    size += ENTRY_FIXED + Buffer.byteLength(meta.id);
  }
  for (const s of strings.keys()) size += 2 + Buffer.byteLength(s);
  const out = Buffer.alloc(size);
  let o = HEAD;
  for (const s of strings.keys()) {
    const n = out.write(s, o + 2, 'utf8');
    out.writeUInt16LE(n, o);
    o += 2 + n;
  }
  for (const { name, fileBytes, meta: m } of list) {
    out.write(name.slice(0, 2 * NAME_HASH), o, 'hex');
    out.writeUInt32LE(fileBytes - m.size, o + 32);
    out.writeDoubleLE(m.createdAt, o + 36);
    out.writeDoubleLE(m.expiresAt, o + 44);
    out.writeDoubleLE(m.size, o + 52);
    out.writeUInt32LE(intern(m.source), o + 60);
    out.writeUInt32LE(intern(m.destination), o + 64);
    out[o + 68] = PRIORITIES.indexOf(m.priority);
    out[o + 69] = AUDIENCES.indexOf(m.audience);
    out[o + 70] = (m.pinned ? PINNED : 0) | (m.local ? LOCAL : 0) | (m.anonymous ? ANONYMOUS : 0);
    const n = out.write(m.id, o + ENTRY_FIXED, 'utf8');
    out.writeUInt16LE(n, o + 71);
    o += ENTRY_FIXED + n;
  }
  out.writeUInt32LE(MAGIC, 0);
  out[4] = VERSION;
  out.writeUInt32LE(list.length, 8);
  out.writeUInt32LE(strings.size, 12);
  out.writeUInt32LE(size - HEAD, 16);
  digestOf(out).copy(out, 20);
  return out;
}

/**
 * The entries a snapshot names, or the reason it cannot be used. Never throws. `present` maps each
 * file name to the string to keep for it (the directory's own, so names are held once), or undefined
 * for a file that is not there: such entries are checked but not built.
 */
export function decodeSnapshot(file: Uint8Array, present: (name: string) => string | undefined = (n) => n): Entry[] | string {
  if (file.length < HEAD) return 'shorter than its head';
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.readUInt32LE(0) !== MAGIC || buf[4] !== VERSION || buf[5] || buf[6] || buf[7]) return 'unknown format';
  const count = buf.readUInt32LE(8);
  const stringCount = buf.readUInt32LE(12);
  if (buf.readUInt32LE(16) !== buf.length - HEAD) return 'length does not match its head';
  if (!digestOf(buf).equals(buf.subarray(20, 20 + DIGEST))) return 'checksum mismatch';
  let o = HEAD;
  const strings: string[] = [];
  for (let i = 0; i < stringCount; i++) {
    if (o + 2 > buf.length) return 'string table cut short';
    const n = buf.readUInt16LE(o);
    if (n === 0 || n > MAX_TEXT_BYTES || o + 2 + n > buf.length) return 'bad string in the table';
    const s = buf.toString('utf8', o + 2, o + 2 + n);
    if (s.length > MAX_TEXT_LENGTH) return 'bad string in the table';
    strings.push(s);
    o += 2 + n;
  }
  const scratch = Buffer.from('0'.repeat(2 * NAME_HASH) + BUNDLE_SUFFIX, 'latin1');
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (o + ENTRY_FIXED > buf.length) return 'entries cut short';
    const idBytes = buf.readUInt16LE(o + 71);
    const end = o + ENTRY_FIXED + idBytes;
    const headerBytes = buf.readUInt32LE(o + 32);
    const createdAt = buf.readDoubleLE(o + 36);
    const expiresAt = buf.readDoubleLE(o + 44);
    const size = buf.readDoubleLE(o + 52);
    const source = strings[buf.readUInt32LE(o + 60)];
    const destination = strings[buf.readUInt32LE(o + 64)];
    const priority = PRIORITIES[buf[o + 68]!];
    const audience = AUDIENCES[buf[o + 69]!];
    const flags = buf[o + 70]!;
    if (idBytes === 0 || idBytes > MAX_TEXT_BYTES || end > buf.length) return 'bad id';
    if (headerBytes < MIN_HEADER_BYTES || headerBytes > MAX_HEADER_BYTES) return 'bad header length';
    if (!Number.isSafeInteger(createdAt) || !Number.isSafeInteger(expiresAt)) return 'bad time';
    if (!Number.isSafeInteger(size) || size < 0 || !Number.isSafeInteger(size + headerBytes)) return 'bad size';
    if (source === undefined || destination === undefined || priority === undefined || audience === undefined || flags > (PINNED | LOCAL | ANONYMOUS)) return 'bad field';
    for (let j = 0; j < NAME_HASH; j++) {
      const b = buf[o + j]!;
      scratch[2 * j] = HEX[b >> 4]!;
      scratch[2 * j + 1] = HEX[b & 15]!;
    }
    const name = present(scratch.toString('latin1'));
    if (name !== undefined) {
      const id = buf.toString('utf8', o + ENTRY_FIXED, end);
      if (id.length > MAX_TEXT_LENGTH) return 'bad id';
      // The same fields in the same order as cleanMeta (meta.ts), so every entry has one shape.
      const meta: BundleMeta = { id, source, destination, priority, audience, createdAt, expiresAt, size };
      if (flags & PINNED) meta.pinned = true;
      if (flags & LOCAL) meta.local = true;
      if (flags & ANONYMOUS) meta.anonymous = true;
      out.push({ meta, fileBytes: headerBytes + size, name });
    }
    o = end;
  }
  return o === buf.length ? out : 'bytes after the last entry';
}
