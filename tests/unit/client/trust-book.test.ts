import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrustBook } from '../../../src/client/trust-book.ts';
import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { newFeedDoc } from '../../../src/core/model/community.ts';
import { DEFAULT_THRESHOLDS, type FeedDoc } from '../../../src/core/model/types.ts';
import { createRevocation, createVouch } from '../../../src/core/trust/vouch.ts';

const NOW = Date.now();
const [founder, ana, ben, cam] = [createIdentity(), createIdentity(), createIdentity(), createIdentity()];
const feedOf = (who: Identity, fill: (f: FeedDoc) => void = () => undefined): FeedDoc => {
  const f = newFeedDoc(who.agentId, 'c1');
  fill(f);
  return f;
};
const vouch = (from: Identity, to: Identity, strength: 1 | 2 | 3 = 3) => createVouch(from, { to: to.agentId, strength, note: '' }, NOW);

/** The founder vouches for Ana, Ana for Ben; Cam vouched for Ben and took it back; a forged vouch for Cam. */
function feeds(): FeedDoc[] {
  const camForBen = vouch(cam, ben, 3);
  const forged = { ...vouch(founder, cam, 3), note: 'edited after signing' };
  return [
    feedOf(founder, (f) => {
      const v = vouch(founder, ana);
      f.vouches[v.id] = v;
      f.vouches[forged.id] = forged;
    }),
    feedOf(ana, (f) => {
      const v = vouch(ana, ben, 2);
      f.vouches[v.id] = v;
    }),
    feedOf(cam, (f) => {
      f.vouches[camForBen.id] = camForBen;
      const r = createRevocation(cam, camForBen.id, NOW);
      f.revocations[r.id] = r;
    }),
    feedOf(ben),
  ];
}

function compute(order: FeedDoc[], viewer = founder, founderView = true) {
  const book = new TrustBook();
  order.forEach((f) => book.setFeed(f.owner, f));
  const view = book.compute({ viewer: viewer.agentId, anchors: [], founder: founderView }, DEFAULT_THRESHOLDS, 'steward', NOW);
  return { book, view };
}

describe('client: the trust book (every member’s vouches into my view) in Node', () => {
  it('Scenario: the founder trusts whom she vouched for, less whom they vouched for; revoked and forged vouches count for nothing', () => {
    const { book, view } = compute(feeds());
    const score = (who: Identity) => view.people.find((p) => p.agentId === who.agentId)?.score ?? 0;
    expect(view.founder).toBe(true);
    expect(view.gates['post-offer'].allowed).toBe(true);
    expect(score(ana)).toBeGreaterThan(score(ben));
    expect(score(ben)).toBeGreaterThan(0);
    expect(score(cam)).toBe(0);
    expect(view.vouched).toContain(ana.agentId);
    expect(view.mine.map((v) => v.to)).toEqual([ana.agentId]);
    expect(book.vouches).toHaveLength(2);
    expect(view.rejected).toBe(1); // the forged one (a revoked vouch is not an error)
    expect(book.explain(ben.agentId)).toBeDefined();
  });

  it('Scenario: a newcomer with no anchor may not post offers until someone vouches', () => {
    const { view } = compute(feeds(), cam, false);
    expect(view.standing).toBe(0);
    expect(view.gates['post-offer'].allowed).toBe(false);
    expect(view.gates['post-need'].allowed).toBe(true);
  });

  it('Scenario: the view is the same whatever order the feeds arrive in, and a feed read again changes nothing', () => {
    const all = feeds();
    const expected = compute(all).view;
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), fc.nat(all.length - 1), (order, again) => {
        const { view } = compute([...order, order[again]]);
        expect(view.people).toEqual(expected.people);
        expect(view.rejected).toBe(expected.rejected);
      }),
      { numRuns: 50 },
    );
  });
});
