import { describe, expect, it } from 'vitest';
import { addKey, newSanctuaryKey, retiredEnvelopes, sealKeyEnvelope } from '../../../src/core/sanctuary/index.ts';
import { community, NOW } from './helpers.ts';

describe('what a rotation retires', () => {
  it('Scenario: a rotation retires older envelopes whose keys the new chain carries on, and keeps one carrying a key only a former organiser handed out', () => {
    const c = community();
    const k1 = newSanctuaryKey(1);
    const theirs = newSanctuaryKey(2); // made by an organiser since demoted: read-only, not carried on
    const k3 = newSanctuaryKey(3);
    const old = sealKeyEnvelope(c.s1.id, k1, c.s2.profile, NOW);
    const former = sealKeyEnvelope(c.s3.id, theirs, c.s2.profile, NOW, undefined, [k1]);
    const fresh = sealKeyEnvelope(c.s1.id, k3, c.s2.profile, NOW, undefined, [k1]);
    const chain = addKey(addKey(new Map(), k1), k3);
    const envelopes = [old, former, fresh].map((e) => [e.id, e] as const);
    expect(retiredEnvelopes(envelopes, 3, chain)).toEqual([old.id]);
    expect(retiredEnvelopes([...envelopes, ['junk', 'not an envelope'] as const], 3, chain)).toEqual([old.id]);
  });
});
