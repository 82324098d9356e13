import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addKey, newEpochKey, sealWith } from '../../../src/core/audience/index.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { createCommitment, createDecline, createProposal } from '../../../src/core/model/agreement.ts';
import { recordHandOver } from '../../../src/core/model/event.ts';
import { createIntent } from '../../../src/core/model/intent.ts';
import { mergeAgreements, openSealedAgreements, sealAgreement, type AgreementLists } from '../../../src/core/model/sealed-agreement.ts';
import { openSealedIntents, sealIntent } from '../../../src/core/model/sealed-intent.ts';
import { openVouchNotes } from '../../../src/core/trust/vouch-note.ts';
import type { SealedFeedRecord } from '../../../src/core/model/types.ts';

// openspec/changes/sealed-flows — requests, promises, hand-overs and "no"s about a members-only post are sealed.
const ana = createIdentity();
const ben = createIdentity();
const key = newEpochKey(1);
const ring = addKey(new Map(), key);
const offer = createIntent(ana, { kind: 'offer', category: 'tools', title: 'Warm coat', description: '', audience: 'trusted' }, 1_000);
const feedOf = (owner: string, entries: SealedFeedRecord[]) => ({ owner, sealed: Object.fromEntries(entries.map((e) => [e.id, e])) });

describe('sealed agreement records in a feed', () => {
  it('Scenario: a request note sealed to the members opens only with their key, as its author signed it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 200 }).filter((s) => s.trim().length >= 8 && !/["\\]/.test(s)), (note) => {
        const p = createProposal(ben, offer, undefined, note, 2_000);
        const sealed = sealAgreement(p, 'members', ring);
        // Outside the box: the id, the audience, the epoch, a padded size; never the note or the post's id.
        expect(Object.keys(sealed).sort()).toEqual(['audience', 'box', 'epoch', 'id', 'nonce']);
        const raw = JSON.stringify(sealed);
        expect(raw).not.toContain(note);
        expect(raw).not.toContain(offer.id);
        const opened = openSealedAgreements(feedOf(ben.agentId, [sealed]), ring);
        expect(opened).toMatchObject({ proposals: [p], commitments: [], events: [], declines: [], unreadable: 0, rejected: [] });
        expect(openSealedAgreements(feedOf(ben.agentId, [sealed]), new Map())).toMatchObject({ proposals: [], unreadable: 1, rejected: [] });
      }),
      { numRuns: 15 },
    );
  });

  it('Scenario: each reader of the shared sealed map keeps its own kind; forged or moved agreements are refused', () => {
    const p = createProposal(ben, offer, undefined, 'Saturday at the garden', 2_000);
    const c = createCommitment(ana, offer, p, 3_000);
    const d = createDecline(ana, offer, p, 3_001);
    const e = recordHandOver(ana, offer, ben.agentId, '', 4_000, c.id);
    const post = sealIntent(offer, ring);
    const anaFeed = feedOf(ana.agentId, [post, sealAgreement(c, 'members', ring), sealAgreement(d, 'members', ring), sealAgreement(e, 'members', ring)]);
    // Posts, agreements and vouch notes share one map: no reader takes the others' entries for junk.
    expect(openSealedIntents(anaFeed, ring)).toMatchObject({ intents: [offer], rejected: [] });
    expect(openSealedAgreements(anaFeed, ring)).toMatchObject({ proposals: [], commitments: [c], events: [e], declines: [d], rejected: [] });
    expect(openVouchNotes(anaFeed, ring).size).toBe(0);

    // Ben's proposal filed in Ana's feed, a box under another id, a box relabelled to another audience.
    const forged = sealAgreement(p, 'members', ring);
    const moved: SealedFeedRecord = { ...sealAgreement(c, 'members', ring), id: 'other-id-000000000' };
    const relabelled: SealedFeedRecord = { id: d.id, ...sealWith(d, 'stewards', key) };
    const out = openSealedAgreements(feedOf(ana.agentId, [forged, moved, relabelled]), ring);
    expect(out.commitments).toEqual([]);
    expect(out.declines).toEqual([]);
    expect(out.rejected.map((r) => r.reason).sort()).toEqual(['error.badAudience', 'error.idMismatch', 'error.wrongAuthor']);
    expect(() => sealAgreement(p, 'sanctuary', ring)).toThrow();
  });

  it('Scenario: merging clear and opened agreements keeps one of each, whatever the order and overlap', () => {
    const recs = Array.from({ length: 6 }, (_, i) => createProposal(ben, offer, undefined, `n${i}`, 2_000 + i));
    const lists = (ps: typeof recs): AgreementLists => ({ proposals: ps, commitments: [], events: [], declines: [] });
    fc.assert(
      fc.property(fc.subarray(recs), fc.subarray(recs), (a, b) => {
        const m = mergeAgreements(lists(a), lists(b));
        const ids = m.proposals.map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(ids)).toEqual(new Set([...a, ...b].map((r) => r.id)));
        expect(mergeAgreements(m, lists(b))).toEqual(m);
      }),
      { numRuns: 50 },
    );
  });
});
