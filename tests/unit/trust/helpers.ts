import type { Identity } from '../../../src/core/crypto/keys.ts';
import type { FeedDoc, Revocation, Vouch } from '../../../src/core/model/types.ts';

export function feedOf(owner: Identity, vouches: Vouch[] = [], revocations: Revocation[] = []): FeedDoc {
  return {
    type: 'feed',
    owner: owner.agentId,
    community: 'c1',
    intents: {},
    proposals: {},
    commitments: {},
    events: {},
    vouches: Object.fromEntries(vouches.map((v) => [v.id, v])),
    revocations: Object.fromEntries(revocations.map((r) => [r.id, r])),
  };
}

export type Edge = { from: string; to: string; strength: 1 | 2 | 3 };

/** Deterministic PRNG for generated graphs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function chain(names: string[], strength: 1 | 2 | 3 = 3): Edge[] {
  return names.slice(1).map((to, i) => ({ from: names[i], to, strength }));
}
