import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addKey, newEpochKey } from '../../../src/core/audience/index.ts';
import { utf8 } from '../../../src/core/crypto/encoding.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import {
  createManifest,
  createSealedManifest,
  decryptFile,
  DEFAULT_LIMITS,
  encryptFile,
  LibraryError,
  MAX_CHUNK_SIZE,
  MIN_CHUNK_SIZE,
  newFileSecret,
  openManifest,
  plainBytes,
  reassemble,
  validateManifest,
  type SealedFileManifest,
} from '../../../src/core/library/index.ts';
import { thrownCode } from '../../helpers/thrown-code.ts';

// openspec/changes/sealed-files — files of non-public posts are sealed to the members.
const ana = createIdentity();
const members = addKey(new Map(), newEpochKey(1));
const stranger = addKey(new Map(), newEpochKey(1));
const input = { name: 'Clinic map, back entrance.png', mime: 'image/png', licence: 'ask-author', audience: 'trusted' as const };

const code = (f: () => unknown) => thrownCode(LibraryError, f);

/** Opens what a reader holding `keys` would: validate the manifest, open it, reassemble, decrypt. */
function readAs(manifestJson: string, held: Map<string, Uint8Array>, keys = members): Uint8Array | 'refused' {
  let m;
  try {
    m = validateManifest(JSON.parse(manifestJson));
  } catch {
    return 'refused';
  }
  const o = openManifest(m, keys);
  if (!o.ok) return 'refused';
  const r = reassemble(m, (h) => held.get(h));
  if (!r.ok) return 'refused';
  return plainBytes(o.facts, r.bytes) ?? 'refused';
}

describe('sealed files', () => {
  it('Scenario: a sealed file round-trips for a member over random sizes and chunk sizes, and any mutated chunk or manifest is refused', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 3 * MIN_CHUNK_SIZE + 50 }),
        fc.integer({ min: MIN_CHUNK_SIZE, max: 2 * MIN_CHUNK_SIZE }),
        fc.nat(),
        fc.nat(),
        (bytes, chunkSize, at, bit) => {
          const { manifest, chunks, hashes, facts } = createSealedManifest(ana, input, bytes, 1, members, DEFAULT_LIMITS, chunkSize);
          const held = new Map(hashes.map((h, i) => [h, chunks[i]]));
          const json = JSON.stringify(manifest);
          // Round trip for a member; a relay sees ciphertext of the right length only.
          expect(readAs(json, held)).toEqual(bytes);
          expect(manifest.size).toBe(bytes.length + 16);
          expect(facts.name).toBe(input.name);
          expect(json).not.toContain('Clinic');
          expect(json).not.toContain('image/png');
          // Anyone with another key (or none) opens nothing.
          expect(readAs(json, held, stranger)).toBe('refused');
          expect(readAs(json, held, new Map())).toBe('refused');
          // One bit flipped anywhere in one chunk: refused (its hash, and the file's tag).
          const i = at % chunks.length;
          const bad = chunks[i].slice();
          bad[bit % bad.length] ^= 1 << bit % 8;
          expect(readAs(json, new Map(held).set(hashes[i], bad))).toBe('refused');
          // One character of the manifest changed: refused (shape, signature, or the box).
          const pos = bit % json.length;
          const swapped = json.slice(0, pos) + (json[pos] === 'A' ? 'B' : 'A') + json.slice(pos + 1);
          if (swapped !== json) expect(readAs(swapped, held)).toBe('refused');
        },
      ),
      { numRuns: 25 },
    );
  });

  it('Scenario: a file encrypted under its own key decrypts only with it, and not after any change', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat(), (bytes, at) => {
        const secret = newFileSecret();
        const sealed = encryptFile(bytes, secret);
        expect(decryptFile(sealed, secret)).toEqual(bytes);
        expect(decryptFile(sealed, newFileSecret())).toBeNull();
        const bad = sealed.slice();
        bad[at % bad.length] ^= 0x80;
        expect(decryptFile(bad, secret)).toBeNull();
        expect(decryptFile(sealed.subarray(0, sealed.length - 1), secret)).toBeNull();
      }),
      { numRuns: 100 },
    );
  });

  it('Scenario: identical files shared twice are sealed under different keys, and a relay dedupes chunks within a file', () => {
    const bytes = new Uint8Array(4 * MIN_CHUNK_SIZE).fill(9);
    const one = createSealedManifest(ana, input, bytes, 1, members, DEFAULT_LIMITS, MIN_CHUNK_SIZE);
    const two = createSealedManifest(ana, input, bytes, 1, members, DEFAULT_LIMITS, MIN_CHUNK_SIZE);
    expect(one.manifest.chunks.some((h) => two.manifest.chunks.includes(h))).toBe(false);
    expect(one.manifest.chunks.length).toBe(5);
    expect(one.manifest.chunkSize).toBeLessThanOrEqual(MAX_CHUNK_SIZE);
  });

  it('Scenario: a sealed box copied into another manifest does not open as that file', () => {
    const victim = createSealedManifest(ana, input, utf8.encode('a map'), 1, members).manifest;
    const eve = createIdentity();
    const own = createSealedManifest(eve, { ...input, name: 'x.png' }, utf8.encode('junk'), 1, members).manifest;
    const { sig: _s, ...rest } = own;
    const grafted = validateManifest(signRecord<SealedFileManifest>({ ...rest, sealed: victim.sealed }, eve.signSecretKey));
    expect(openManifest(grafted, members)).toEqual({ ok: false, reason: 'bad-record' });
    expect(openManifest(victim, members).ok).toBe(true);
  });

  it('Scenario: a public file stays in clear, a public file cannot be sealed, and an old clear members-only file still opens', () => {
    const pub = createManifest(ana, { ...input, audience: 'public' }, utf8.encode('hello'), 1);
    expect(pub.manifest).toMatchObject({ name: input.name, mime: input.mime });
    expect(openManifest(pub.manifest, new Map())).toMatchObject({ ok: true, facts: { name: input.name, secret: null } });
    expect(code(() => createSealedManifest(ana, { ...input, audience: 'public' }, utf8.encode('x'), 1, members))).toBe('bad-audience');
    const { sig: _s, ...rest } = createSealedManifest(ana, input, utf8.encode('x'), 1, members).manifest;
    expect(code(() => validateManifest(signRecord<SealedFileManifest>({ ...rest, audience: 'public' }, ana.signSecretKey)))).toBe('bad-audience');
    expect(code(() => validateManifest(signRecord<SealedFileManifest & { name: string }>({ ...rest, name: 'leak.png' }, ana.signSecretKey)))).toBe('bad-shape');
    const old = createManifest(ana, input, utf8.encode('an old members-only file'), 1);
    const r = reassemble(old.manifest, (h) => old.chunks[old.hashes.indexOf(h)]);
    const o = openManifest(old.manifest, new Map());
    expect(o.ok && r.ok && utf8.decode(plainBytes(o.facts, r.bytes)!)).toBe('an old members-only file');
  });
});
