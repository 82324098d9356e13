import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import type { Vouch } from '../../../src/core/model/types.ts';
import { buildGraph, collectVouches, computeScores, createRevocation, createVouch, expiringSoon } from '../../../src/core/trust/index.ts';
import { feedOf } from './helpers.ts';

const alice = createIdentity();
const bob = createIdentity();
const carol = createIdentity();
const NOW = 1_700_000_000_000;

describe('vouches and revocations', () => {
  it('Scenario: a signed vouch in its author\'s feed is valid', () => {
    const v = createVouch(alice, { to: bob.agentId, strength: 3, note: 'met at the garden' }, NOW);
    const { valid, rejected } = collectVouches([feedOf(alice, [v])], NOW);
    expect(valid).toEqual([v]);
    expect(rejected).toEqual([]);
    expect(v.from).toBe(alice.agentId);
  });

  it('Scenario: forged or altered vouches are rejected', () => {
    const v = createVouch(alice, { to: bob.agentId, strength: 1, note: '' }, NOW);
    const altered: Vouch[] = [
      { ...v, strength: 3 },
      { ...v, to: carol.agentId },
      { ...v, note: 'trust them completely' },
      { ...v, expires: NOW + 1e9 },
      { ...v, sig: createVouch(alice, { to: bob.agentId, strength: 1, note: 'x' }, NOW).sig },
    ];
    for (const a of altered) {
      const { valid, rejected } = collectVouches([feedOf(alice, [a])], NOW);
      expect(valid).toEqual([]);
      expect(rejected.map((r) => r.reason)).toEqual(['forged-signature']);
    }
  });

  it('Scenario: a vouch copied into another member\'s feed is rejected as wrong author', () => {
    const v = createVouch(alice, { to: bob.agentId, strength: 2, note: '' }, NOW);
    const { valid, rejected } = collectVouches([feedOf(carol, [v])], NOW);
    expect(valid).toEqual([]);
    expect(rejected[0].reason).toBe('wrong-author');
  });

  it('Scenario: malformed vouch contents are rejected with typed reasons', () => {
    const sign = (over: Partial<Vouch>) =>
      signRecord<Vouch>({ type: 'vouch', id: 'id' + Math.random(), author: alice.agentId, from: alice.agentId, to: bob.agentId, strength: 2, note: '', created: NOW, ...over }, alice.signSecretKey);
    const cases: [Vouch, string][] = [
      [sign({ from: carol.agentId }), 'from-not-author'],
      [sign({ to: alice.agentId }), 'self-vouch'],
      [sign({ strength: 4 as 3 }), 'bad-strength'],
      [sign({ strength: 0 as 1 }), 'bad-strength'],
      [sign({ expires: NOW }), 'expired'],
    ];
    for (const [v, reason] of cases) expect(collectVouches([feedOf(alice, [v])], NOW).rejected[0].reason).toBe(reason);
    expect(() => createVouch(alice, { to: alice.agentId, strength: 1, note: '' }, NOW)).toThrow(RangeError);
    expect(() => createVouch(alice, { to: bob.agentId, strength: 5 as 3, note: '' }, NOW)).toThrow(RangeError);
  });

  it('Scenario: an expired vouch is ignored, an unexpired one counts', () => {
    const v = createVouch(alice, { to: bob.agentId, strength: 3, note: '', expires: NOW + 1000 }, NOW);
    expect(collectVouches([feedOf(alice, [v])], NOW + 999).valid).toHaveLength(1);
    const later = collectVouches([feedOf(alice, [v])], NOW + 1000);
    expect(later.valid).toHaveLength(0);
    expect(later.rejected[0].reason).toBe('expired');
  });

  it('Scenario: revocation takes effect', () => {
    const v = createVouch(alice, { to: bob.agentId, strength: 3, note: '' }, NOW);
    const before = collectVouches([feedOf(alice, [v])], NOW);
    expect(computeScores(buildGraph(before.valid), alice.agentId).score(bob.agentId)).toBeCloseTo(0.8, 12);
    const r = createRevocation(alice, v.id, NOW + 5);
    const after = collectVouches([feedOf(alice, [v], [r])], NOW + 5);
    expect(after.valid).toEqual([]);
    expect(after.revocations).toEqual([r]);
    expect(after.rejected.map((x) => x.reason)).toEqual(['revoked']);
    expect(computeScores(buildGraph(after.valid), alice.agentId).score(bob.agentId)).toBe(0);
  });

  it('Scenario: a revocation only cancels a vouch by the same author', () => {
    const v = createVouch(alice, { to: bob.agentId, strength: 3, note: '' }, NOW);
    const r = createRevocation(carol, v.id, NOW);
    const { valid, rejected } = collectVouches([feedOf(alice, [v]), feedOf(carol, [], [r])], NOW);
    expect(valid).toEqual([v]);
    expect(rejected.map((x) => x.reason)).toEqual(['revokes-other-author']);
    // …and a revocation placed in the victim's feed by someone else fails the author check.
    const planted = collectVouches([feedOf(alice, [v], [r])], NOW);
    expect(planted.valid).toEqual([v]);
    expect(planted.rejected[0].reason).toBe('wrong-author');
  });

  it('Scenario: collected vouches do not depend on feed order', () => {
    const vs = [
      createVouch(alice, { to: bob.agentId, strength: 3, note: '' }, NOW),
      createVouch(bob, { to: carol.agentId, strength: 2, note: '' }, NOW),
      createVouch(carol, { to: alice.agentId, strength: 1, note: '' }, NOW),
    ];
    const feeds = [feedOf(alice, [vs[0]]), feedOf(bob, [vs[1]]), feedOf(carol, [vs[2]])];
    expect(collectVouches(feeds, NOW).valid).toEqual(collectVouches([...feeds].reverse(), NOW).valid);
  });

  it('Scenario: arbitrary junk in a peer\'s feed never throws and is reported malformed', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.anything()), fc.dictionary(fc.string(), fc.anything()), (vouches, revocations) => {
        const feed = { ...feedOf(alice), vouches: vouches as never, revocations: revocations as never };
        const out = collectVouches([feed], NOW);
        expect(out.valid).toEqual([]);
        expect(out.rejected.length).toBe(Object.keys(vouches).length + Object.keys(revocations).length);
      }),
      { numRuns: 200 },
    );
  });

  it('Scenario: expiry reminders list my vouches expiring soon', () => {
    const soon = createVouch(alice, { to: bob.agentId, strength: 2, note: '', expires: NOW + 1000 }, NOW);
    const late = createVouch(alice, { to: carol.agentId, strength: 2, note: '', expires: NOW + 10_000 }, NOW);
    const other = createVouch(bob, { to: carol.agentId, strength: 2, note: '', expires: NOW + 1000 }, NOW);
    expect(expiringSoon([late, soon, other], alice.agentId, NOW, 5000)).toEqual([soon]);
  });
});
