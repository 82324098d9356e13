import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import {
  checkChunk,
  chunkHash,
  createManifest,
  DEFAULT_LIMITS,
  fetchProgress,
  isChunkHash,
  LibraryError,
  missingChunks,
  reassemble,
  splitFile,
  validateManifest,
  type FileManifest,
} from '../../../src/core/library/index.ts';
import { thrownCode } from '../../helpers/thrown-code.ts';

// openspec/specs/library/spec.md
const me = createIdentity();
const input = { name: 'Seed catalogue.pdf', mime: 'application/pdf', licence: 'CC-BY-SA-4.0', audience: 'public' as const };
const SMALL = 4096;

const code = (f: () => unknown) => thrownCode(LibraryError, f);

function store(chunks: Uint8Array[], hashes: string[]): Map<string, Uint8Array> {
  return new Map(hashes.map((h, i) => [h, chunks[i]]));
}

describe('library: chunks and manifests', () => {
  it('Scenario: a file split into chunks and reassembled is the same file (random files)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 40_000 }), (bytes) => {
        const { manifest, chunks, hashes } = createManifest(me, input, bytes, 1, DEFAULT_LIMITS, SMALL);
        expect(manifest.chunks).toEqual(hashes);
        const r = reassemble(manifest, (h) => store(chunks, hashes).get(h));
        expect(r.ok && r.bytes).toEqual(bytes);
        expect(fetchProgress(manifest, () => true)).toEqual({ held: hashes.length, total: hashes.length, bytesHeld: bytes.length, bytesTotal: bytes.length, done: true });
      }),
      { numRuns: 60 },
    );
  });

  it('Scenario: a corrupted or missing chunk is detected and listed for fetching again', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 3 * SMALL, maxLength: 30_000 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const { manifest, chunks, hashes } = createManifest(me, input, bytes, 1, DEFAULT_LIMITS, SMALL);
        const held = store(chunks, hashes);
        const gone = a % hashes.length;
        let bad = b % hashes.length;
        if (hashes[bad] === hashes[gone]) bad = (bad + 1) % hashes.length;
        if (hashes[bad] === hashes[gone]) return; // a file of identical chunks: nothing distinct to corrupt
        held.delete(hashes[gone]);
        const flipped = held.get(hashes[bad])!.slice();
        flipped[0] ^= 1;
        held.set(hashes[bad], flipped);
        const r = reassemble(manifest, (h) => held.get(h));
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.missing).toContain(gone);
        expect(r.corrupt).toContain(bad);
        expect(missingChunks(manifest, (h) => held.has(h))).toContain(gone);
        expect(code(() => checkChunk(manifest, bad, flipped))).toBe('hash-mismatch');
        // Fetched again, the file is whole.
        held.set(hashes[gone], chunks[gone]);
        held.set(hashes[bad], chunks[bad]);
        expect(reassemble(manifest, (h) => held.get(h)).ok).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('Scenario: fetch progress counts chunks and bytes held', () => {
    const bytes = new Uint8Array(SMALL * 2 + 100).map((_, i) => i % 251);
    const { manifest, hashes } = createManifest(me, input, bytes, 1, DEFAULT_LIMITS, SMALL);
    const p = fetchProgress(manifest, (h) => h === hashes[2]);
    expect(p).toEqual({ held: 1, total: 3, bytesHeld: 100, bytesTotal: bytes.length, done: false });
  });

  it('Scenario: identical bytes get the same chunk names on any device', () => {
    const bytes = new Uint8Array(10_000).fill(7);
    expect(splitFile(bytes, SMALL).hashes).toEqual(splitFile(bytes.slice(), SMALL).hashes);
    expect(isChunkHash(chunkHash(bytes))).toBe(true);
    expect(isChunkHash('x'.repeat(43))).toBe(false);
  });

  it('Scenario: a manifest with a bad signature is refused', () => {
    const { manifest } = createManifest(me, input, new Uint8Array(5000), 1, DEFAULT_LIMITS, SMALL);
    expect(code(() => validateManifest({ ...manifest, name: 'Other.pdf' }))).toBe('bad-signature');
    const other = createIdentity();
    expect(code(() => validateManifest({ ...manifest, author: other.agentId }))).toBe('bad-signature');
    expect(validateManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
  });

  it('Scenario: a manifest claiming a size beyond the community limit is refused', () => {
    const { sig: _s, ...rest } = createManifest(me, input, new Uint8Array(10), 1, DEFAULT_LIMITS, SMALL).manifest;
    const huge = signRecord<FileManifest>({ ...rest, size: 10 * 1024 ** 3, chunkSize: 1024 * 1024, chunks: [] }, me.signSecretKey);
    expect(code(() => validateManifest(huge))).toBe('too-large');
    expect(code(() => validateManifest({ ...rest, sig: 'x', size: 2e6 }, { ...DEFAULT_LIMITS, maxFileBytes: 1e6 }))).toBe('too-large');
  });

  it('Scenario: chunk count not matching the size, oversized names and junk are typed errors', () => {
    const { manifest } = createManifest(me, input, new Uint8Array(3 * SMALL), 1, DEFAULT_LIMITS, SMALL);
    const resign = (o: object) => signRecord<FileManifest>({ ...manifest, ...o } as FileManifest, me.signSecretKey);
    expect(code(() => validateManifest(resign({ chunks: manifest.chunks.slice(1) })))).toBe('chunk-count');
    expect(code(() => validateManifest(resign({ size: manifest.size + SMALL })))).toBe('chunk-count');
    expect(code(() => validateManifest(resign({ name: 'n'.repeat(201) })))).toBe('name-too-long');
    expect(code(() => validateManifest(resign({ chunkSize: 1 })))).toBe('chunk-size');
    expect(code(() => validateManifest(resign({ chunks: ['A', 'B', 'C'] })))).toBe('bad-hash');
    expect(code(() => validateManifest(resign({ audience: 'private' })))).toBe('bad-audience');
    expect(code(() => validateManifest(resign({ extra: 1 })))).toBe('bad-shape');
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(code(() => validateManifest(v))).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });
});

describe('library: one name for a chunk everywhere', () => {
  it('Scenario: the relay’s native hash names chunks as the phone does', async () => {
    const { createHash } = await import('node:crypto');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (b) => {
        expect(createHash('sha256').update(b).digest('base64url')).toBe(chunkHash(b));
      }),
    );
  });
});
