import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Audience,
  BundleError,
  BundleFlags,
  CrcType,
  DTN_EPOCH_UNIX_MS,
  Priority,
  ageOf,
  audienceOf,
  bundleId,
  createBundle,
  decodeBundleOrThrow,
  encodeBundle,
  hopCountOf,
  isExpired,
  prepareForForward,
  previousNodeOf,
  priorityOf,
  withExtension,
  type Bundle,
} from '../../../src/core/dtn/index.ts';
import { bundleArb } from './arbitraries.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const roundTrip = (b: Bundle) => decodeBundleOrThrow(encodeBundle(b));

function make(over: Partial<Parameters<typeof createBundle>[0]> = {}): Bundle {
  return createBundle({
    source: 'dtn://relay-a/sync',
    destination: 'dtn://~community-1/changes',
    payload: new TextEncoder().encode('change-set'),
    lifetimeMs: 60_000,
    creationTimeMs: NOW,
    sequence: 7,
    ...over,
  });
}

describe('dtn bundles: creation', () => {
  it('Scenario: created bundle carries the mesh blocks', () => {
    const b = make();
    expect(b.primary).toEqual({
      flags: BundleFlags.MustNotFragment,
      crcType: CrcType.Crc32c,
      destination: 'dtn://~community-1/changes',
      source: 'dtn://relay-a/sync',
      reportTo: 'dtn://relay-a/sync',
      creationTime: NOW - DTN_EPOCH_UNIX_MS,
      sequence: 7,
      lifetimeMs: 60_000,
    });
    expect(hopCountOf(b)).toEqual({ limit: 20, count: 0 });
    expect(ageOf(b)).toBe(0);
    expect(priorityOf(b)).toBe(Priority.Normal);
    expect(audienceOf(b)).toBe(Audience.Public);
    expect(b.extensions.every((e) => e.crcType === CrcType.Crc32c)).toBe(true);
    expect(roundTrip(b)).toEqual(b);
  });

  it('Scenario: mesh metadata gives priority and audience', () => {
    const b = roundTrip(make({ priority: Priority.Emergency, audience: Audience.Local, hopLimit: 5, crcType: CrcType.Crc16 }));
    expect(priorityOf(b)).toBe(0);
    expect(audienceOf(b)).toBe('local');
    expect(hopCountOf(b)).toEqual({ limit: 5, count: 0 });
    expect(b.primary.crcType).toBe(1);
  });

  it('Scenario: created bundle carries the mesh blocks — default sequence numbers differ', () => {
    const a = createBundle({ source: 'dtn://a/', destination: 'dtn://b/', payload: new Uint8Array(0), lifetimeMs: 1, creationTimeMs: NOW });
    const b = createBundle({ source: 'dtn://a/', destination: 'dtn://b/', payload: new Uint8Array(0), lifetimeMs: 1, creationTimeMs: NOW });
    expect(bundleId(a)).not.toBe(bundleId(b));
  });

  it('Scenario: created bundle carries the mesh blocks — anonymous sources are made unfragmentable', () => {
    const b = roundTrip(make({ source: 'dtn:none', reportTo: 'dtn:none' }));
    expect(b.primary.flags & 0x04).toBe(0x04);
  });

  it('Scenario: created bundle carries the mesh blocks — Node Buffers are carried as byte strings', () => {
    const b = roundTrip(make({ payload: Buffer.from('buffer payload') }));
    expect(new TextDecoder().decode(b.payload.data)).toBe('buffer payload');
  });

  it('Scenario: encoder refuses invalid bundles — createBundle validates its options', () => {
    expect(() => make({ destination: 'nowhere' })).toThrow(BundleError);
    expect(() => make({ hopLimit: 0 })).toThrow(/bad-block-data/);
    expect(() => make({ lifetimeMs: -5 })).toThrow(/invalid-field/);
    expect(() => make({ creationTimeMs: DTN_EPOCH_UNIX_MS - 1 })).toThrow(/invalid-field/);
  });
});

describe('dtn bundles: identity', () => {
  it('Scenario: bundle id is stable across the wire', () => {
    const b = make();
    expect(bundleId(b)).toBe(`dtn://relay-a/sync ${NOW - DTN_EPOCH_UNIX_MS} 7`);
    fc.assert(
      fc.property(bundleArb, (g) => {
        expect(bundleId(roundTrip(g))).toBe(bundleId(g));
      }),
      { numRuns: 100 },
    );
  });

  it('Scenario: bundle id is stable across the wire — forwarding does not change it', () => {
    const b = make();
    const f = prepareForForward(b, { localNode: 'dtn://relay-b/', dwellMs: 10 });
    expect(f.ok && bundleId(f.bundle)).toBe(bundleId(b));
  });

  it('Scenario: fragments of one bundle have distinct ids', () => {
    const whole = make({ payload: new Uint8Array(10), flags: 0 });
    const frag = (offset: number): Bundle => ({
      ...whole,
      primary: { ...whole.primary, fragment: { offset, totalAduLength: 20 } },
    });
    const [a, b] = [roundTrip(frag(0)), roundTrip(frag(10))];
    expect(bundleId(a)).toBe(`${bundleId(whole)} 0 10`);
    expect(bundleId(b)).toBe(`${bundleId(whole)} 10 10`);
    expect(a.primary.flags & 1).toBe(1);
  });
});

describe('dtn bundles: forwarding', () => {
  const aged = (b: Bundle, ageMs: number, count: number): Bundle => {
    const withAge = withExtension(b, { kind: 'bundle-age', number: 4, flags: 0, crcType: 2, ageMs });
    return withExtension(withAge, { kind: 'hop-count', number: 3, flags: 0, crcType: 2, limit: 20, count });
  };

  it('Scenario: forwarding updates age, hop count and previous node', () => {
    const original = aged(make(), 100, 3);
    const snapshot = structuredClone(original);
    const r = prepareForForward(original, { localNode: 'dtn://relay-b/', dwellMs: 50 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const out = roundTrip(r.bundle);
    expect(ageOf(out)).toBe(150);
    expect(hopCountOf(out)).toEqual({ limit: 20, count: 4 });
    expect(previousNodeOf(out)).toBe('dtn://relay-b/');
    expect(out.extensions.find((e) => e.kind === 'previous-node')?.number).toBe(5);
    expect(original).toEqual(snapshot);
    const again = prepareForForward(out, { localNode: 'dtn://relay-c/', dwellMs: 1 });
    expect(again.ok && previousNodeOf(again.bundle)).toBe('dtn://relay-c/');
    expect(again.ok && again.bundle.extensions.filter((e) => e.kind === 'previous-node').length).toBe(1);
  });

  it('Scenario: hop limit exceeded', () => {
    expect(prepareForForward(aged(make(), 0, 19), { localNode: 'dtn://r/', dwellMs: 0 }).ok).toBe(true);
    expect(prepareForForward(aged(make(), 0, 20), { localNode: 'dtn://r/', dwellMs: 0 })).toEqual({ ok: false, reason: 'hop-limit-exceeded' });
  });

  it('Scenario: expired bundle is not forwarded — by age plus dwell', () => {
    const b = aged(make(), 59_990, 0);
    expect(prepareForForward(b, { localNode: 'dtn://r/', dwellMs: 10 }).ok).toBe(true);
    expect(prepareForForward(b, { localNode: 'dtn://r/', dwellMs: 11 })).toEqual({ ok: false, reason: 'expired' });
    expect(isExpired(b, NOW, 11)).toBe(true);
    expect(isExpired(b, NOW, 10)).toBe(false);
  });

  it('Scenario: expired bundle is not forwarded — by creation time plus lifetime', () => {
    const b = make();
    expect(isExpired(b, NOW + 60_000)).toBe(false);
    expect(isExpired(b, NOW + 60_001)).toBe(true);
    expect(prepareForForward(b, { localNode: 'dtn://r/', dwellMs: 0, nowUnixMs: NOW + 60_001 })).toEqual({ ok: false, reason: 'expired' });
    expect(prepareForForward(b, { localNode: 'dtn://r/', dwellMs: 0, nowUnixMs: NOW + 1 }).ok).toBe(true);
  });

  it('Scenario: forwarding updates age, hop count and previous node — bad arguments are typed errors', () => {
    expect(() => prepareForForward(make(), { localNode: 'relay-b', dwellMs: 0 })).toThrow(/bad-eid/);
    expect(() => prepareForForward(make(), { localNode: 'dtn://r/', dwellMs: -1 })).toThrow(/invalid-field/);
  });
});
