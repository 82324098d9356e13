import * as Automerge from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import { addKey, newEpochKey, sealWith } from '../../../src/core/audience/index.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { createIntent } from '../../../src/core/model/intent.ts';
import { openSealedIntents, sealIntent } from '../../../src/core/model/sealed-intent.ts';
import { FEED_MAPS, SEALED_MAP, restoreFeed } from '../../../src/core/model/restore.ts';
import type { FeedDoc, SealedFeedRecord } from '../../../src/core/model/types.ts';
import { SignedHistory } from '../../../src/core/sync/signed-history.ts';

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

describe('sealed entries someone deleted or overwrote', () => {
  it('Scenario: a sealed post deleted or overwritten by someone syncing the feed is restored from history', () => {
    const mine = post(ben, 'Insulin at the blue door');
    const sealed = JSON.parse(JSON.stringify(sealIntent(mine, ring))) as SealedFeedRecord;
    let doc = Automerge.from({ type: 'feed', owner: ben.agentId, sealed: {} as Record<string, SealedFeedRecord> });
    doc = Automerge.change(doc, (d) => void (d.sealed[mine.id] = sealed));
    // Mallory syncs the feed: she deletes Ben's entry; another edit fills a second post's slot with a junk box.
    const other = post(ben, 'Second coat');
    const otherSealed = JSON.parse(JSON.stringify(sealIntent(other, ring))) as SealedFeedRecord;
    doc = Automerge.change(doc, (d) => void (d.sealed[other.id] = otherSealed));
    doc = Automerge.change(doc, (d) => void delete d.sealed[mine.id]);
    const junk: SealedFeedRecord = { ...otherSealed, box: sealIntent(post(ben, 'x'), addKey(new Map(), newEpochKey(1))).box };
    doc = Automerge.change(doc, (d) => void (d.sealed[other.id] = junk));
    expect(Object.keys(doc.sealed)).toEqual([other.id]);

    const history = new SignedHistory([...FEED_MAPS.map((m) => [m]), [SEALED_MAP]]);
    history.update(doc);
    const restored = restoreFeed(Automerge.toJS(doc) as Partial<FeedDoc>, history, ben.agentId);
    expect(Object.keys(restored.sealed ?? {}).sort()).toEqual([mine.id, other.id].sort());
    const opened = openSealedIntents(restored, ring, undefined, (k) => history.versions([SEALED_MAP], k));
    expect(opened.intents.map((i) => i.name).sort()).toEqual(['Insulin at the blue door', 'Second coat']);
    // Without the history's versions the junk box hides the second post: the reader needs them.
    expect(openSealedIntents(restored, ring).intents.map((i) => i.name)).toEqual(['Insulin at the blue door']);
  });
});
