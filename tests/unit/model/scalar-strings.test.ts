import * as Automerge from '@automerge/automerge';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addKey, newEpochKey } from '../../../src/core/audience/index.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { createIntent } from '../../../src/core/model/intent.ts';
import { asScalars, plainScalars } from '../../../src/core/model/scalar-strings.ts';
import { openSealedIntents, sealIntent } from '../../../src/core/model/sealed-intent.ts';
import type { FeedDoc, SealedFeedRecord } from '../../../src/core/model/types.ts';
import { SignedHistory } from '../../../src/core/sync/signed-history.ts';
import { FEED_MAPS, SEALED_MAP, restoreFeed } from '../../../src/core/model/restore.ts';

// openspec/specs/sealed-audiences — sealed records enter a doc with their long strings as scalars.
const ben = createIdentity();
const ring = addKey(new Map(), newEpochKey(1));
const coat = createIntent(ben, { kind: 'offer', category: 'tools', title: 'Warm coat', description: 'Ask at the garden', audience: 'trusted' }, 1_000);

type Feed = { owner: string; sealed: Record<string, SealedFeedRecord> };

/** A feed doc holding `record` under its id, saved and loaded again: what a peer that synced it holds. */
function syncedFeed(record: SealedFeedRecord): Automerge.Doc<Feed> {
  const doc = Automerge.change(Automerge.from<Feed>({ owner: ben.agentId, sealed: {} }), (d) => void (d.sealed[record.id] = record));
  return Automerge.load<Feed>(Automerge.save(doc));
}

describe('sealed records as Automerge scalars', () => {
  it('Scenario: a members-only post written as the app writes it costs a few ops, not one per character, and opens on another replica', () => {
    const sealed = sealIntent(coat, ring);
    const asText = syncedFeed(sealed);
    const asScalar = syncedFeed(asScalars(sealed));
    const empty = Automerge.stats(Automerge.from<Feed>({ owner: ben.agentId, sealed: {} })).numOps;
    // Text: one op per character of the box (about a thousand); a scalar is one op per field.
    expect(Automerge.stats(asText).numOps - empty).toBeGreaterThan(sealed.box.length);
    expect(Automerge.stats(asScalar).numOps - empty).toBeLessThan(20);
    // Both open the same, written either way: posts written before this change stay readable.
    expect(openSealedIntents(asText, ring).intents).toEqual([coat]);
    expect(openSealedIntents(asScalar, ring).intents).toEqual([coat]);
  });

  it('Scenario: a sealed record written as scalars is remembered by the history, so a deleted one is restored', () => {
    let doc = Automerge.change(Automerge.from<Feed>({ owner: ben.agentId, sealed: {} }), (d) => void (d.sealed[coat.id] = asScalars(sealIntent(coat, ring))));
    // Someone syncing the feed deletes it.
    doc = Automerge.change(doc, (d) => void delete d.sealed[coat.id]);
    const history = new SignedHistory([...FEED_MAPS.map((m) => [m]), [SEALED_MAP]]);
    history.update(doc);
    const restored = restoreFeed(Automerge.toJS(doc) as Partial<FeedDoc>, history, ben.agentId);
    expect(Object.keys(restored.sealed ?? {})).toEqual([coat.id]);
    expect(openSealedIntents(restored, ring, undefined, (k) => history.versions([SEALED_MAP], k)).intents).toEqual([coat]);
  });

  it('Scenario: any record of strings and numbers reads back from a doc exactly as it was before asScalars (property)', () => {
    const record = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== '__proto__'), fc.oneof(fc.string({ maxLength: 200 }), fc.integer()), { maxKeys: 8 });
    fc.assert(
      fc.property(record, (r) => {
        const doc = Automerge.load<{ r: Record<string, unknown> }>(Automerge.save(Automerge.from({ r: asScalars(r) })));
        expect(plainScalars({ ...doc.r })).toEqual(r);
      }),
      { numRuns: 200 },
    );
  });
});
