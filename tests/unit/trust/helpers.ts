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

export { rng } from '../../helpers/prng.ts';

export function chain(names: string[], strength: 1 | 2 | 3 = 3): Edge[] {
  return names.slice(1).map((to, i) => ({ from: names[i], to, strength }));
}
