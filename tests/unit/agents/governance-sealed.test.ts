import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDecisionRecord, decisionState, type DecisionConsent, type DecisionDraft } from '../../../agents/governance-records.ts';
import { openSealedDecisions, sealDecision } from '../../../agents/governance-sealed.ts';
import { addKey, newEpochKey, sealWith, type Keyring } from '../../../src/core/audience/index.ts';
import { fromBase64Url, toBase64Url } from '../../../src/core/crypto/encoding.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import type { Unsigned } from '../../../src/core/crypto/sign.ts';
import { openSealedIntents } from '../../../src/core/model/sealed-intent.ts';
import { openVouchNotes } from '../../../src/core/trust/vouch-note.ts';

// openspec/changes/sealed-more — decision records are sealed whole to the members' key.
const fay = createIdentity();
const ben = createIdentity();
const k1 = newEpochKey(1);
const ring = (...keys: ReturnType<typeof newEpochKey>[]): Keyring => keys.reduce<Keyring>((r, k) => addKey(r, k), new Map());
const NOW = 1_750_000_000_000;

function draftBy(who = fay, title = 'Quiet hours after nine', text = 'No drilling at night'): DecisionDraft {
  const r: Unsigned<DecisionDraft> = { type: 'decision-draft', id: `d${Math.random().toString(36).slice(2, 12)}`, decision: '', author: who.agentId, audience: 'trusted', created: NOW, title, text, discussionEnds: NOW + 1_000, updated: NOW };
  r.decision = r.id;
  return createDecisionRecord<DecisionDraft>(who, r);
}

describe('sealed decisions', () => {
  it('Scenario: a decision is sealed whole; only id, audience, epoch and a padded box show; members read it and old clear records still count', () => {
    const d = draftBy();
    const entry = sealDecision(d, ring(k1));
    expect(Object.keys(entry).sort()).toEqual(['audience', 'box', 'epoch', 'id', 'nonce']);
    for (const s of ['Quiet hours', 'drilling', fay.agentId, d.sig, 'decision-draft']) expect(JSON.stringify(entry)).not.toContain(s);
    const feed = { owner: fay.agentId, sealed: { [d.id]: entry } };
    expect(openSealedDecisions(feed, ring(k1)).records).toEqual([d]);
    expect(openSealedDecisions(feed, new Map())).toEqual({ records: [], unreadable: 1, rejected: [] });
    // The posts' and the notes' readers leave a decision alone (one sealed map holds all three kinds).
    expect(openSealedIntents(feed, ring(k1))).toEqual({ intents: [], unreadable: 0, rejected: [] });
    expect(openVouchNotes(feed, ring(k1)).size).toBe(0);
    // Ben's consent, sealed in his feed, counts with Fay's draft; a clear draft from before still reads.
    const c: Unsigned<DecisionConsent> = { type: 'decision-consent', id: 'c1', decision: d.id, facilitator: fay.agentId, author: ben.agentId, audience: 'trusted', created: NOW, round: 1, note: 'yes' };
    const consent = createDecisionRecord<DecisionConsent>(ben, c);
    const opened = openSealedDecisions({ owner: ben.agentId, sealed: { c1: sealDecision(consent, ring(k1)) } }, ring(k1)).records;
    const old = draftBy(fay, 'Old clear decision');
    const state = decisionState([old, d, ...opened], NOW);
    expect([...state.values()].map((s) => s.title).sort()).toEqual(['Old clear decision', 'Quiet hours after nine']);
  });

  it('Scenario: a sealed decision round-trips for any title and text, and any changed byte is refused', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 120 }), fc.string({ maxLength: 600 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (title, text, at, flip) => {
        const d = draftBy(fay, title, text);
        const entry = sealDecision(d, ring(k1));
        expect(openSealedDecisions({ owner: fay.agentId, sealed: { [d.id]: entry } }, ring(k1)).records).toEqual([d]);
        const bytes = fromBase64Url(entry.box);
        bytes[at % bytes.length] ^= flip;
        const out = openSealedDecisions({ owner: fay.agentId, sealed: { [d.id]: { ...entry, box: toBase64Url(bytes) } } }, ring(k1));
        expect(out.records).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it('Scenario: a decision signed by someone else, or filed under another id, in a member’s feed is refused', () => {
    const byBen = draftBy(ben, 'Fake decision');
    const inFays = openSealedDecisions({ owner: fay.agentId, sealed: { [byBen.id]: { id: byBen.id, ...sealWith(byBen, 'members', k1) } } }, ring(k1));
    expect(inFays.records).toEqual([]);
    expect(inFays.rejected.map((r) => r.reason)).toEqual(['error.wrongAuthor']);
    const d = draftBy();
    const moved = openSealedDecisions({ owner: fay.agentId, sealed: { elsewhere: { ...sealDecision(d, ring(k1)), id: 'elsewhere' } } }, ring(k1));
    expect(moved.rejected.map((r) => r.reason)).toEqual(['error.idMismatch']);
    // Sealed under an older epoch: the keyring over every epoch opens it.
    expect(openSealedDecisions({ owner: fay.agentId, sealed: { [d.id]: sealDecision(d, ring(k1)) } }, ring(k1, newEpochKey(2))).records).toEqual([d]);
  });
});
