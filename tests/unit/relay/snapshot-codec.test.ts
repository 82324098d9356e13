import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileNameFor, AUDIENCES, PRIORITIES, type BundleMeta } from '../../../relay/dtn/store/index.ts';
import { MAX_HEADER_BYTES } from '../../../relay/dtn/store/record.ts';
import type { Entry } from '../../../relay/dtn/store/scan.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../relay/dtn/store/snapshot-codec.ts';

// openspec/changes/store-open — the index snapshot's binary codec (relay/dtn/store/snapshot-codec.ts).
const HEAD = 52; // magic, version, counts, body length, then at [20, 52) the sha256 of [0, 20) and the body

const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
const entryArb = fc
  .record({
    id: text,
    source: fc.constantFrom('dtn://a/', 'dtn://b/', 'dtn://ñandú/'),
    destination: fc.oneof(text, fc.constant('dtn://~community/changes')),
    priority: fc.constantFrom(...PRIORITIES),
    audience: fc.constantFrom(...AUDIENCES),
    createdAt: fc.maxSafeInteger(),
    expiresAt: fc.maxSafeInteger(),
    size: fc.nat({ max: 1 << 30 }),
    pinned: fc.boolean(),
    local: fc.boolean(),
    anonymous: fc.boolean(),
    head: fc.integer({ min: 42, max: MAX_HEADER_BYTES }),
  })
  .map(({ head, pinned, local, anonymous, ...m }): Entry => {
    const meta: BundleMeta = { ...m };
    if (pinned) meta.pinned = true;
    if (local) meta.local = true;
    if (anonymous) meta.anonymous = true;
    return { meta, fileBytes: m.size + head, name: fileNameFor(m.id) };
  });
const entriesArb = fc.uniqueArray(entryArb, { selector: (e) => e.meta.id, maxLength: 20 });

/** What a forger with write access would do after changing bytes: make the digest agree again. */
function reseal(bytes: Uint8Array): Uint8Array {
  const out = Buffer.from(bytes);
  createHash('sha256').update(out.subarray(0, 20)).update(out.subarray(HEAD)).digest().copy(out, 20);
  return out;
}

describe('index snapshot codec', () => {
  it('Scenario: every index round-trips through the snapshot', () => {
    fc.assert(
      fc.property(entriesArb, (entries) => {
        expect(decodeSnapshot(encodeSnapshot(entries))).toEqual(entries);
      }),
    );
  });

  it('Scenario: a damaged or truncated snapshot is refused', () => {
    fc.assert(
      fc.property(entriesArb.filter((e) => e.length > 0), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat(), (entries, at, flip, cut) => {
        const good = encodeSnapshot(entries);
        const flipped = good.slice();
        flipped[at % good.length] ^= flip;
        expect(typeof decodeSnapshot(flipped)).toBe('string');
        expect(typeof decodeSnapshot(good.subarray(0, cut % good.length))).toBe('string');
      }),
    );
  });

  it('Scenario: a forged snapshot (digest made to match) yields only entries a bundle file could have, or is refused', () => {
    fc.assert(
      fc.property(entriesArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), (entries, flips) => {
        const forged = Buffer.from(encodeSnapshot(entries));
        for (const [at, flip] of flips) forged[HEAD + (at % Math.max(1, forged.length - HEAD))] ^= flip;
        const out = decodeSnapshot(reseal(forged));
        if (typeof out === 'string') return;
        for (const e of out) {
          expect(e.name).toMatch(/^[0-9a-f]{64}\.bundle$/);
          expect(e.meta.id.length).toBeGreaterThan(0);
          expect(PRIORITIES).toContain(e.meta.priority);
          expect(AUDIENCES).toContain(e.meta.audience);
          expect(Number.isSafeInteger(e.meta.createdAt) && Number.isSafeInteger(e.meta.expiresAt)).toBe(true);
          expect(e.fileBytes - e.meta.size).toBeGreaterThanOrEqual(42);
          expect(e.fileBytes - e.meta.size).toBeLessThanOrEqual(MAX_HEADER_BYTES);
        }
      }),
    );
  });

  it('Scenario: junk and the older JSON snapshot are refused, never thrown on', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (junk) => {
        expect(typeof decodeSnapshot(junk)).toBe('string');
      }),
    );
    const v2 = new TextEncoder().encode('0'.repeat(64) + '\n{"v":2}\n');
    expect(decodeSnapshot(v2)).toBe('unknown format');
  });

  it('Scenario: entries for files that are not there are checked but not built', () => {
    const entries = ['a', 'b', 'c'].map((id): Entry => ({ meta: { id, source: 's', destination: 'd', priority: PRIORITIES[0]!, audience: 'public', createdAt: 1, expiresAt: 2, size: 3 }, fileBytes: 100, name: fileNameFor(id) }));
    const only = decodeSnapshot(encodeSnapshot(entries), (n) => (n === fileNameFor('b') ? n : undefined));
    expect(only).toEqual([entries[1]]);
  });
});
