import { describe, expect, it } from 'vitest';
import { accessOf, addKey, communityContext, newEpochKey, sealEnvelope, buildKeyring, type Keyring } from '../../../src/core/audience/index.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/core/model/types.ts';
import { NOW, person } from './people.ts';

describe('why a member cannot read', () => {
  it('Scenario: a member who cannot read members-only posts is told why in words', () => {
    const steward = person('Ana');
    const friend = person('Bo');
    const newcomer = person('Cy');
    const stranger = person('Di');
    const vouches = [
      { from: steward.id.agentId, to: friend.id.agentId, strength: 2 as const },
      { from: steward.id.agentId, to: newcomer.id.agentId, strength: 1 as const },
    ];
    const trust = communityContext(vouches, [steward.id.agentId], DEFAULT_THRESHOLDS, 'steward');
    const isIssuer = trust.isSteward;
    const k1 = newEpochKey(1);
    const k2 = newEpochKey(2);
    const envelopes = [sealEnvelope(steward.id, 'members', [k1, k2], steward.profile, NOW)];
    const ringOf = (p: typeof steward): Keyring => buildKeyring(p.id, 'members', envelopes, () => steward.profile, isIssuer).keyring;

    // Not in the directory at all.
    expect(accessOf('members', stranger.id.agentId, undefined, trust, new Map(), envelopes, isIssuer).code).toBe('not-a-member');
    // One weak vouch: 0.27 of the 0.5 needed — "needs one more vouch from a member".
    const weak = accessOf('members', newcomer.id.agentId, newcomer.entry, trust, new Map(), envelopes, isIssuer);
    expect(weak).toEqual({ code: 'needs-vouch', score: expect.closeTo(0.8 / 3, 5), threshold: DEFAULT_THRESHOLDS.post });
    // Entitled, but no steward has sealed the keys to them yet.
    expect(accessOf('members', friend.id.agentId, friend.entry, trust, ringOf(friend), envelopes, isIssuer)).toEqual({ code: 'waiting-for-steward' });
    // Holds the current key only: older keys are still to come.
    expect(accessOf('members', friend.id.agentId, friend.entry, trust, addKey(new Map(), k2), envelopes, isIssuer)).toEqual({ code: 'missing-older-keys' });
    expect(accessOf('members', steward.id.agentId, steward.entry, trust, ringOf(steward), envelopes, isIssuer)).toEqual({ code: 'ok' });
    // The stewards audience needs the steward tier.
    expect(accessOf('stewards', friend.id.agentId, friend.entry, trust, new Map(), envelopes, isIssuer)).toMatchObject({ code: 'needs-steward' });
  });
});
