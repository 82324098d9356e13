import { describe, expect, it } from 'vitest';
import { addKey, newEpochKey, sealWith } from '../../../src/core/audience/index.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { createIntent } from '../../../src/core/model/intent.ts';
import { openSealedIntents, sealIntent } from '../../../src/core/model/sealed-intent.ts';
import type { SealedFeedRecord } from '../../../src/core/model/types.ts';

// openspec/changes/audience-app — readers open only the feed owner's own sealed intents.
const ben = createIdentity();
const mallory = createIdentity();
const key = newEpochKey(1);
const ring = addKey(new Map(), key);
const post = (who = ben, title = 'Warm coat') => createIntent(who, { kind: 'offer', category: 'tools', title, description: '', audience: 'trusted' }, 1_000);

describe('sealed intents in a feed', () => {
  it('Scenario: a sealed intent opens only with the key, as its owner signed it, under its own id', () => {
    const mine = post();
    const sealed = sealIntent(mine, ring);
    expect(Object.keys(sealed).sort()).toEqual(['audience', 'box', 'epoch', 'id', 'nonce']);
    expect(JSON.stringify(sealed)).not.toContain('Warm coat');
    expect(openSealedIntents({ owner: ben.agentId, sealed: { [mine.id]: sealed } }, ring).intents).toEqual([mine]);
    // Without the key: nothing, and no error to show.
    expect(openSealedIntents({ owner: ben.agentId, sealed: { [mine.id]: sealed } }, new Map())).toEqual({ intents: [], unreadable: 1, rejected: [] });
    expect(openSealedIntents({ owner: ben.agentId, sealed: { [mine.id]: sealed } }, addKey(new Map(), newEpochKey(1)))).toMatchObject({ intents: [], unreadable: 1 });

    // Someone else's signed intent boxed into Ben's feed, a box filed under another id, junk: refused.
    const theirs = post(mallory, 'Fake');
    const forged: SealedFeedRecord = { id: theirs.id, ...sealWith(theirs, 'members', key) };
    const moved: SealedFeedRecord = { ...sealIntent(post(), ring), id: 'other-id-000000000' };
    const out = openSealedIntents({ owner: ben.agentId, sealed: { [theirs.id]: forged, 'other-id-000000000': moved, junk: { id: 'junk' } as unknown as SealedFeedRecord } }, ring);
    expect(out.intents).toEqual([]);
    expect(out.rejected.map((r) => r.reason).sort()).toEqual(['error.idMismatch', 'error.malformedSealed', 'error.wrongAuthor']);
    // A public intent is never sealed.
    expect(() => sealIntent(createIntent(ben, { kind: 'offer', category: 'tools', title: 'Ladder', description: '' }, 1), ring)).toThrow();
  });
});
