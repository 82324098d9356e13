import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import nacl from 'tweetnacl';
import * as Automerge from '@automerge/automerge';
import { Repo, type DocHandle } from '@automerge/automerge-repo';
import { nodeSignatureCheck } from '../../relay/ed25519.ts';
import { FeedViews } from '../../relay/feed-views.ts';
import { createIdentity } from '../../src/core/crypto/keys.ts';
import { useSignatureCheck, verifyRecord, type SignatureCheck } from '../../src/core/crypto/sign.ts';
import { newFeedDoc } from '../../src/core/model/community.ts';
import { createIntent } from '../../src/core/model/intent.ts';
import type { FeedDoc } from '../../src/core/model/types.ts';

const naclCheck: SignatureCheck = (m, s, pk) => nacl.sign.detached.verify(m, s, pk);
const seeds = fc.uint8Array({ minLength: 32, maxLength: 32 });
const messages = fc.uint8Array({ maxLength: 300 });

afterEach(() => useSignatureCheck(undefined));

describe('relay signature check (node:crypto ed25519)', () => {
  const native = nodeSignatureCheck();

  it('agrees with tweetnacl on good signatures and on altered messages, signatures and keys', () => {
    fc.assert(
      fc.property(seeds, messages, fc.nat(), fc.integer({ min: 0, max: 2 }), (seed, msg, at, what) => {
        const kp = nacl.sign.keyPair.fromSeed(seed);
        const sig = nacl.sign.detached(msg, kp.secretKey);
        expect(native(msg, sig, kp.publicKey)).toBe(true);
        const target = [msg, sig, kp.publicKey][what];
        if (target.length === 0) return;
        const bad = Uint8Array.from(target);
        bad[at % bad.length] ^= 1 << at % 8;
        const args: [Uint8Array, Uint8Array, Uint8Array] = [msg, sig, kp.publicKey];
        args[what] = bad;
        expect(native(...args)).toBe(naclCheck(...args));
        expect(native(...args)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses keys and signatures of the wrong length or that are no point on the curve', () => {
    const kp = nacl.sign.keyPair();
    const msg = new Uint8Array([1, 2, 3]);
    const sig = nacl.sign.detached(msg, kp.secretKey);
    expect(native(msg, sig.subarray(0, 63), kp.publicKey)).toBe(false);
    expect(native(msg, sig, kp.publicKey.subarray(0, 31))).toBe(false);
    expect(native(msg, sig, new Uint8Array(32).fill(0xff))).toBe(naclCheck(msg, sig, new Uint8Array(32).fill(0xff)));
  });

  it('installed for verifyRecord, keeps signed records good and tampered ones refused', () => {
    useSignatureCheck(native);
    const me = createIdentity();
    const offer = createIntent(me, { kind: 'offer', category: 'tools', title: 'Ladder', description: '' }, Date.now());
    expect(verifyRecord(offer)).toBe(true);
    expect(verifyRecord({ ...offer, name: 'Two ladders' })).toBe(false);
    expect(verifyRecord({ ...offer, author: createIdentity().agentId })).toBe(false);
  });
});

describe('FeedViews', () => {
  it('verifies each record once however many readers ask, and again only for what changed', async () => {
    let checks = 0;
    useSignatureCheck((m, s, pk) => (checks++, naclCheck(m, s, pk)));
    const me = createIdentity();
    const repo = new Repo();
    const handle: DocHandle<FeedDoc> = repo.create<FeedDoc>(newFeedDoc(me.agentId, 'community'));
    const offers = Array.from({ length: 5 }, (_, i) => createIntent(me, { kind: 'offer', category: 'food', title: `Bread ${i}`, description: '' }, Date.now()));
    handle.change((d) => {
      for (const o of offers) d.intents[o.id] = o;
    });
    const views = new FeedViews();
    expect(views.read(handle)?.intents).toHaveLength(5);
    expect(views.read(handle)?.intents).toHaveLength(5);
    expect(checks).toBe(5);
    const more = createIntent(me, { kind: 'need', category: 'food', title: 'Flour', description: '' }, Date.now());
    handle.change((d) => {
      d.intents[more.id] = more;
    });
    expect(views.read(handle)?.intents).toHaveLength(6);
    expect(checks).toBe(6);
    // A forged record next to good ones is refused and reported, not cached as good.
    handle.change((d) => {
      d.intents[offers[0].id].name = 'Forged';
    });
    const view = views.read(handle)!;
    expect(view.intents).toHaveLength(5);
    expect(view.rejected.map((r) => r.reason)).toEqual(['error.badSignature']);
    expect(Automerge.getHeads(handle.doc()).length).toBe(1);
    await repo.shutdown();
  });
});
