import { describe, expect, it } from 'vitest';
import { keyId } from '../../../src/core/audience/index.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/core/model/types.ts';
import {
  buildKeyring,
  collectEntries,
  communityContext,
  createEntry,
  currentKey,
  sanctuaryDuties,
  type SanctuaryEntryRecord,
  type SanctuaryKeyEnvelope,
} from '../../../src/core/sanctuary/index.ts';
import { computeScores } from '../../../src/core/trust/score.ts';
import { buildGraph } from '../../../src/core/trust/graph.ts';
import { community, NOW, plain, type Person } from './helpers.ts';

describe('sanctuary entitlement from shared data', () => {
  function setup() {
    const c = community();
    const a = (p: Person) => p.id.agentId;
    // s1 and s2 are the signed stewards; s3 and the trusted member are trusted (0.8 as the community sees them).
    const vouches = [
      { from: a(c.s1), to: a(c.s3), strength: 3 as const },
      { from: a(c.s2), to: a(c.s3), strength: 3 as const },
      { from: a(c.s1), to: a(c.trusted), strength: 3 as const },
      { from: a(c.s2), to: a(c.vouched), strength: 2 as const },
    ];
    const trust = (vs = vouches) => communityContext(vs, [a(c.s1), a(c.s2)], DEFAULT_THRESHOLDS, 'trusted');
    const envelopes = new Map<string, SanctuaryKeyEnvelope>();
    const entries = new Map<string, SanctuaryEntryRecord>();
    const duties = (p: Person, t = trust()) =>
      sanctuaryDuties({ me: p.id, trust: t, members: c.members, envelopes: envelopes.values(), entries: entries.values(), profileOf: c.profileOf, now: NOW });
    const write = (d: ReturnType<typeof duties>) => {
      if (d.duty.kind !== 'none') for (const e of d.duty.envelopes) envelopes.set(e.id, e as SanctuaryKeyEnvelope);
      for (const e of d.entries) entries.set(e.id, e);
    };
    const ring = (p: Person, t = trust()) => buildKeyring(p.id, envelopes.values(), c.profileOf, t).keyring;
    return { c, a, vouches, trust, envelopes, entries, duties, write, ring };
  }

  it('Scenario: a key issued by any steward counts on every entitled phone, whatever its own view', () => {
    const { c, a, vouches, trust, entries, duties, write, ring } = setup();
    // The trusted member vouched for nobody: in their own view the issuing steward scores 0 (the old
    // cause of "no current sanctuary key"). The community's view is what counts now.
    expect(computeScores(buildGraph(vouches), a(c.trusted)).score(a(c.s1))).toBe(0);
    const first = duties(c.s1);
    expect(first.duty.kind).toBe('rotate');
    write(first);
    expect(duties(c.s2).duty).toEqual({ kind: 'none', why: 'up-to-date' });
    expect(duties(c.s3).duty).toEqual({ kind: 'none', why: 'not-a-steward' });
    const rec = createEntry(c.s2.id, currentKey(ring(c.s2))!, plain(), NOW);
    entries.set(rec.id, rec);
    for (const reader of [c.s1, c.s2, c.s3, c.trusted]) {
      expect({ who: reader.profile.name, ...collectEntries(entries.values(), ring(reader), trust()) }).toMatchObject({ who: reader.profile.name, rejected: [] });
    }
    for (const outside of [c.vouched, c.outsider]) expect(collectEntries(entries.values(), ring(outside), trust()).entries).toHaveLength(0);
  });

  it('Scenario: stewards noticing the same loss at once rotate to one epoch, agree on its key, and rotate no more', () => {
    const { c, a, vouches, entries, duties, write, ring, trust } = setup();
    write(duties(c.s1));
    const rec = createEntry(c.s1.id, currentKey(ring(c.s1))!, plain(), NOW);
    entries.set(rec.id, rec);
    // The trusted member's only vouch is revoked: both stewards see it on the same docs, at once.
    const after = trust(vouches.filter((v) => v.to !== a(c.trusted)));
    const concurrent = [c.s1, c.s2].map((s) => duties(s, after));
    expect(concurrent.map((d) => d.duty.kind)).toEqual(['rotate', 'rotate']);
    expect(concurrent.map((d) => (d.duty.kind === 'rotate' ? d.duty.lost : []))).toEqual([[a(c.trusted)], [a(c.trusted)]]);
    for (const d of [concurrent[1], concurrent[0]]) write(d);
    // Afterwards: nothing more to do, one epoch above the first, the same winning key on every steward.
    expect([c.s1, c.s2].map((s) => duties(s, after).duty)).toEqual(Array(2).fill({ kind: 'none', why: 'up-to-date' }));
    const winners = [c.s1, c.s2, c.s3].map((s) => currentKey(ring(s, after))!);
    expect(winners.map((k) => k.epoch)).toEqual([2, 2, 2]);
    expect(new Set(winners.map((k) => keyId(k.key))).size).toBe(1);
    // Whichever steward's re-sealed copy won the merge, stewards read it; the former member reads nothing new.
    for (const s of [c.s1, c.s2, c.s3]) expect(collectEntries(entries.values(), ring(s, after), after).entries.map((e) => e.id)).toEqual([rec.id]);
    const formerRing = ring(c.trusted, after);
    expect([...formerRing.keys()]).toEqual([1]);
    expect(collectEntries(entries.values(), formerRing, after).rejected.map((r) => r.reason)).toEqual(['no-key']);
  });
});
