import * as Automerge from '@automerge/automerge';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addKey, newEpochKey, resealOutdated, sealWith, type Keyring } from '../../../src/core/audience/index.ts';
import { fromBase64Url, toBase64Url } from '../../../src/core/crypto/encoding.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { FEED_MAPS, SEALED_MAP, restoreFeed } from '../../../src/core/model/restore.ts';
import { openSealedIntents } from '../../../src/core/model/sealed-intent.ts';
import type { FeedDoc, SealedFeedRecord } from '../../../src/core/model/types.ts';
import { SignedHistory } from '../../../src/core/sync/signed-history.ts';
import { checkVouch, collectVouches, createVouch, createVouchNote, noteKey, noteOf, openVouchNotes, sealVouchNote, type VouchNote } from '../../../src/core/trust/index.ts';

// openspec/changes/sealed-more — vouch notes are signed, then sealed to the members' key.
const ana = createIdentity();
const ben = createIdentity();
const cai = createIdentity();
const k1 = newEpochKey(1);
const ring = (...keys: ReturnType<typeof newEpochKey>[]): Keyring => keys.reduce<Keyring>((r, k) => addKey(r, k), new Map());
const feedOf = (owner: string, sealed: Record<string, SealedFeedRecord>) => ({ owner, sealed });
const byKey = (notes: Map<string, VouchNote>) => new Map([...notes.values()].map((n) => [noteKey(n.author, n.id), n]));

function vouchWithNote(text: string, to = ben.agentId) {
  const vouch = createVouch(ana, { to, strength: 3, note: '', noteSealed: true }, 1_000);
  const note = createVouchNote(ana, vouch, text);
  return { vouch, note };
}

describe('sealed vouch notes', () => {
  it('Scenario: a vouch note is sealed to the members; the vouch itself stays readable for trust scores', () => {
    const { vouch, note } = vouchWithNote('Runs the clinic on Calle Luna');
    const entry = sealVouchNote(note, ring(k1));
    // The vouch (who → whom, how strongly) verifies and counts for anyone; it carries no note text.
    expect(checkVouch(vouch, ana.agentId, 2_000)).toBeNull();
    expect(vouch).toMatchObject({ note: '', noteSealed: true, to: ben.agentId });
    expect(collectVouches([{ type: 'feed', owner: ana.agentId, intents: {}, proposals: {}, commitments: {}, events: {}, declines: {}, vouches: { [vouch.id]: vouch }, revocations: {}, sealed: { [vouch.id]: entry } } as FeedDoc], 2_000).valid).toEqual([vouch]);
    // What a relay holds: id, audience, epoch, nonce, a padded box. No text, no author, no signature.
    expect(Object.keys(entry).sort()).toEqual(['audience', 'box', 'epoch', 'id', 'nonce']);
    for (const s of ['Calle Luna', ana.agentId, ben.agentId, note.sig]) expect(JSON.stringify(entry)).not.toContain(s);
    // A member with the key reads the note as Ana signed it; a member without it is told it is for members.
    const opened = openVouchNotes(feedOf(ana.agentId, { [vouch.id]: entry }), ring(k1));
    expect(opened.get(vouch.id)).toEqual(note);
    expect(noteOf(vouch, byKey(opened))).toEqual({ text: 'Runs the clinic on Calle Luna' });
    expect(openVouchNotes(feedOf(ana.agentId, { [vouch.id]: entry }), new Map()).size).toBe(0);
    // The posts' reader, sharing the sealed map, leaves a note alone: not a post, not an error.
    expect(openSealedIntents(feedOf(ana.agentId, { [vouch.id]: entry }), ring(k1))).toEqual({ intents: [], unreadable: 0, rejected: [] });
    expect(noteOf(vouch, new Map())).toBe('sealed');
    // A vouch written before notes were sealed still shows its clear note.
    const old = createVouch(ana, { to: ben.agentId, strength: 2, note: 'old neighbour' }, 1_000);
    expect(noteOf(old, new Map())).toEqual({ text: 'old neighbour' });
  });

  it('Scenario: a sealed vouch note round-trips for any text and any epoch, and any changed byte is refused', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), fc.integer({ min: 1, max: 50 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (text, epoch, at, flip) => {
        const key = newEpochKey(epoch);
        const { vouch, note } = vouchWithNote(text);
        const entry = sealVouchNote(note, ring(key));
        const opened = openVouchNotes(feedOf(ana.agentId, { [vouch.id]: entry }), ring(key));
        expect(opened.get(vouch.id)).toEqual(note);
        // One byte of the box or of the nonce changed: nothing opens, nothing throws.
        for (const field of ['box', 'nonce'] as const) {
          const bytes = fromBase64Url(entry[field]);
          bytes[at % bytes.length] ^= flip;
          const bent = { ...entry, [field]: toBase64Url(bytes) };
          expect(openVouchNotes(feedOf(ana.agentId, { [vouch.id]: bent }), ring(key)).size).toBe(0);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('Scenario: a note by someone else, moved onto another vouch or under another id is not shown as the voucher’s', () => {
    const { vouch, note } = vouchWithNote('my neighbour');
    // Cai's own signed note filed under Ana's vouch in Ana's feed: not Ana's.
    const caiVouch = createVouch(cai, { to: ben.agentId, strength: 1, note: '', noteSealed: true }, 1_000);
    const caiNote = createVouchNote(cai, { ...caiVouch, id: vouch.id }, 'lies');
    const forged = openVouchNotes(feedOf(ana.agentId, { [vouch.id]: { id: vouch.id, ...sealWith(caiNote, 'members', k1) } }), ring(k1));
    expect(forged.size).toBe(0);
    // Ana's note filed under another key: refused.
    expect(openVouchNotes(feedOf(ana.agentId, { other: { ...sealVouchNote(note, ring(k1)), id: 'other' } }), ring(k1)).size).toBe(0);
    // Ana's note about Ben does not count for her vouch for Cai that reuses its id.
    const forCai = { ...createVouch(ana, { to: cai.agentId, strength: 3, note: '', noteSealed: true }, 1_000), id: vouch.id };
    const notes = byKey(openVouchNotes(feedOf(ana.agentId, { [vouch.id]: sealVouchNote(note, ring(k1)) }), ring(k1)));
    expect(noteOf(vouch, notes)).toEqual({ text: 'my neighbour' });
    expect(noteOf(forCai, notes)).toBe('sealed');
    // Sealed to another audience: refused.
    expect(openVouchNotes(feedOf(ana.agentId, { [vouch.id]: { id: vouch.id, ...sealWith(note, 'stewards', k1) } }), ring(k1)).size).toBe(0);
  });

  it('Scenario: a note sealed at an older epoch opens with the keyring over every epoch, and after re-sealing under the current key', () => {
    const { vouch, note } = vouchWithNote('kept the seed library');
    const old = sealVouchNote(note, ring(k1));
    const k2 = newEpochKey(2);
    const k3 = newEpochKey(3);
    const all = ring(k1, k2, k3);
    expect(openVouchNotes(feedOf(ana.agentId, { [vouch.id]: old }), all).get(vouch.id)).toEqual(note);
    const again = resealOutdated([old], all).get(0)!;
    expect(again.epoch).toBe(3);
    expect(openVouchNotes(feedOf(ana.agentId, { [vouch.id]: { id: vouch.id, ...again } }), ring(k3)).get(vouch.id)).toEqual(note);
  });

  it('Scenario: a sealed vouch note deleted or overwritten by someone syncing the feed is restored from history', () => {
    const { vouch, note } = vouchWithNote('brought water in the flood');
    const entry = JSON.parse(JSON.stringify(sealVouchNote(note, ring(k1)))) as SealedFeedRecord;
    let doc = Automerge.from({ type: 'feed', owner: ana.agentId, vouches: {} as Record<string, unknown>, sealed: {} as Record<string, SealedFeedRecord> });
    doc = Automerge.change(doc, (d) => {
      d.vouches[vouch.id] = JSON.parse(JSON.stringify(vouch));
      d.sealed[vouch.id] = entry;
    });
    doc = Automerge.change(doc, (d) => void delete d.sealed[vouch.id]);
    const history = new SignedHistory([...FEED_MAPS.map((m) => [m]), [SEALED_MAP]]);
    history.update(doc);
    const restored = restoreFeed(Automerge.toJS(doc) as Partial<FeedDoc>, history, ana.agentId);
    expect(openVouchNotes(restored, ring(k1), undefined, (k) => history.versions([SEALED_MAP], k)).get(vouch.id)?.note).toBe('brought water in the flood');
  });
});
