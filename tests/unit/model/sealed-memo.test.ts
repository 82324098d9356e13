import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addKey, newEpochKey } from '../../../src/core/audience/index.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { verifyRecord } from '../../../src/core/crypto/sign.ts';
import { createIntent, editIntent } from '../../../src/core/model/intent.ts';
import { openSealedIntents, sealIntent } from '../../../src/core/model/sealed-intent.ts';
import { SealedMemo, sealedDigest } from '../../../src/core/model/sealed-memo.ts';
import type { SealedFeedRecord } from '../../../src/core/model/types.ts';
import { openVouchNotes } from '../../../src/core/trust/vouch-note.ts';

// openspec/changes/first-list — a phone opens each sealed entry once, while it holds the key that opened it.
const ben = createIdentity();
const key = newEpochKey(1);
const ring = addKey(new Map(), key);
const post = (title: string, updated = 1_000) => createIntent(ben, { kind: 'offer', category: 'tools', title, description: '', audience: 'trusted' }, updated);

/** A signature check that counts its calls (each is a full open: decrypt, parse and check). */
function counting() {
  const calls = { n: 0 };
  return { calls, verify: (r: unknown) => (calls.n++, verifyRecord(r)) };
}

describe('sealed entries opened once (SealedMemo)', () => {
  it('Scenario: a sealed entry opened once is recalled, not opened again, while the phone holds the key that opened it', () => {
    const coat = post('Warm coat');
    const room = post('Quiet room');
    const feed = { owner: ben.agentId, sealed: { [coat.id]: sealIntent(coat, ring), [room.id]: sealIntent(room, ring) } };
    const memo = new SealedMemo();
    const first = counting();
    expect(openSealedIntents(feed, ring, first.verify, undefined, memo).intents).toHaveLength(2);
    expect(first.calls.n).toBe(2);
    expect(memo.sourceOf(openSealedIntents(feed, ring, undefined, undefined, memo).intents[0])).toMatchObject({ epoch: 1 });

    const again = counting();
    const read = openSealedIntents(feed, ring, again.verify, undefined, memo);
    expect(read.intents.map((i) => i.name).sort()).toEqual(['Quiet room', 'Warm coat']);
    expect(again.calls.n).toBe(0);
    // Other kinds read the same map: the posts recalled are not theirs, and nothing is opened for them either.
    expect(openVouchNotes(feed, ring, again.verify, undefined, memo).size).toBe(0);
    expect(again.calls.n).toBe(0);

    // Only what changed is opened: an edit is a new box.
    const edited = editIntent(ben, coat, { kind: 'offer', category: 'tools', title: 'Warm coat, size M', description: '', audience: 'trusted' }, 2_000);
    const next = { ...feed, sealed: { ...feed.sealed, [coat.id]: sealIntent(edited, ring) } };
    const third = counting();
    openSealedIntents(next, ring, third.verify, undefined, memo);
    expect(third.calls.n).toBe(1);
  });

  it('Scenario: without the key that opened it (a removed member, a rotation it was left out of) a remembered entry is not read', () => {
    const coat = post('Warm coat');
    const feed = { owner: ben.agentId, sealed: { [coat.id]: sealIntent(coat, ring) } };
    const memo = new SealedMemo();
    openSealedIntents(feed, ring, undefined, undefined, memo);
    // The phone's keyring no longer has that key: nothing is recalled, and the box stays unreadable.
    expect(openSealedIntents(feed, new Map(), undefined, undefined, memo)).toEqual({ intents: [], unreadable: 1, rejected: [] });
    expect(openSealedIntents(feed, addKey(new Map(), newEpochKey(1)), undefined, undefined, memo)).toMatchObject({ intents: [], unreadable: 1 });
    expect(openSealedIntents(feed, addKey(new Map(), newEpochKey(2)), undefined, undefined, memo)).toMatchObject({ intents: [], unreadable: 1 });
    // Loaded from a previous start as opened by another key: also not recalled.
    const loaded = new SealedMemo();
    loaded.load([{ digest: sealedDigest(feed.sealed[coat.id]), epoch: 1, kid: 'A'.repeat(22), record: coat as unknown as Record<string, unknown> }]);
    expect(loaded.recall(feed.sealed[coat.id], ring)).toBeUndefined();
  });

  it('a remembered record still passes its kind’s checks: filed under another id it is refused', () => {
    const coat = post('Warm coat');
    const sealed = sealIntent(coat, ring);
    const memo = new SealedMemo();
    openSealedIntents({ owner: ben.agentId, sealed: { [coat.id]: sealed } }, ring, undefined, undefined, memo);
    const moved: SealedFeedRecord = { ...sealed, id: 'other-id-000000000' };
    expect(openSealedIntents({ owner: ben.agentId, sealed: { [moved.id]: moved } }, ring, undefined, undefined, memo)).toMatchObject({ intents: [], rejected: [{ reason: 'error.idMismatch' }] });
  });

  it('any change to a sealed entry — a character of its nonce or box, its epoch or audience — is another digest', () => {
    const base = sealIntent(post('Warm coat'), ring);
    const digest = sealedDigest(base);
    fc.assert(
      fc.property(fc.constantFrom('nonce', 'box'), fc.nat(), (field, at) => {
        const text = base[field];
        const i = at % text.length;
        const swapped = text[i] === 'A' ? 'B' : 'A';
        expect(sealedDigest({ ...base, [field]: text.slice(0, i) + swapped + text.slice(i + 1) })).not.toBe(digest);
      }),
      { numRuns: 100 },
    );
    expect(sealedDigest({ ...base, epoch: 2 })).not.toBe(digest);
    expect(sealedDigest({ ...base, audience: 'stewards' as never })).not.toBe(digest);
  });
});
