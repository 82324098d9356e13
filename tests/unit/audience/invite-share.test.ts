import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../../src/core/crypto/keys.ts';
import { inviteSecretHash, newInviteSecret } from '../../../src/core/protocol/invite-secret.ts';
import { missingShares, openInviteShare, sealInviteShare, showableSecrets } from '../../../src/core/audience/invite-share.ts';
import { person } from '../audience/people.ts';

// openspec/changes/removal-keys/specs/phone-relay-protocol/spec.md — the active invite link, boxed to every organiser.
const NOW = 1_700_000_000_000;
const ana = person('Ana'); // organiser who made the link
const olu = person('Olu'); // another organiser
const bea = person('Bea'); // a member, not an organiser
const people = [ana, olu, bea];
const profileOf = (id: string) => people.find((p) => p.id.agentId === id)?.profile;
const isOrganiser = (id: string) => id === ana.id.agentId || id === olu.id.agentId;

describe('invite link shared among organisers', () => {
  it('Scenario: every organiser can show the active invite link another organiser made, and a member who is not an organiser cannot read it', () => {
    const secret = newInviteSecret(randomBytes);
    const hash = inviteSecretHash(secret);
    const invites = { [hash]: 0 };
    const mine = new Map([[hash, secret]]);
    // Ana's phone boxes the secret to each organiser who lacks it: Olu, not herself, not Bea.
    const shares = missingShares(ana.id, 'c', mine, [ana.profile, olu.profile], [], isOrganiser, NOW);
    expect(shares.map((s) => s.to)).toEqual([olu.id.agentId]);
    expect(JSON.stringify(shares)).not.toContain(secret);
    expect(missingShares(ana.id, 'c', mine, [ana.profile, olu.profile], shares, isOrganiser, NOW)).toEqual([]); // settled
    expect(showableSecrets(olu.id, 'c', invites, NOW, undefined, shares, profileOf, isOrganiser)).toEqual(mine);
    // Bea: nothing is addressed to her, and a share relabelled to her neither verifies nor opens.
    expect(showableSecrets(bea.id, 'c', invites, NOW, undefined, shares, profileOf, isOrganiser).size).toBe(0);
    expect(openInviteShare(bea.id, 'c', { ...shares[0], to: bea.id.agentId }, profileOf, isOrganiser)).toBeNull();
    // Once the link is ended, nobody shows it.
    expect(showableSecrets(olu.id, 'c', { [hash]: NOW - 1 }, NOW, undefined, shares, profileOf, isOrganiser).size).toBe(0);
  });

  it('Scenario: an invite share from someone who is not an organiser, or of another community, or naming another link, is not shown', () => {
    const real = newInviteSecret(randomBytes);
    const fake = newInviteSecret(randomBytes);
    const invites = { [inviteSecretHash(real)]: 0 };
    // Bea boxes a link of her own to Olu: Olu's phone does not show it.
    const fromBea = sealInviteShare(bea.id, 'c', fake, olu.profile, NOW);
    expect(openInviteShare(olu.id, 'c', fromBea, profileOf, isOrganiser)).toBeNull();
    // Ana's share of another community, and one claiming the listed hash over another secret.
    expect(openInviteShare(olu.id, 'other', sealInviteShare(ana.id, 'c', real, olu.profile, NOW), profileOf, isOrganiser)).toBeNull();
    const lying = { ...sealInviteShare(ana.id, 'c', fake, olu.profile, NOW), hash: inviteSecretHash(real) };
    expect(openInviteShare(olu.id, 'c', lying, profileOf, isOrganiser)).toBeNull();
    // A forged share does not stand in for the real one: Ana's phone still writes hers to Olu.
    const forged = { ...sealInviteShare(bea.id, 'c', real, olu.profile, NOW), author: ana.id.agentId };
    expect(missingShares(ana.id, 'c', new Map([[inviteSecretHash(real), real]]), [olu.profile], [forged, fromBea], isOrganiser, NOW)).toHaveLength(1);
    expect(showableSecrets(olu.id, 'c', invites, NOW, undefined, [forged, fromBea, lying], profileOf, isOrganiser).size).toBe(0);
  });

  it('Scenario: opening an invite share is total over any input', () => {
    const share = sealInviteShare(ana.id, 'c', newInviteSecret(randomBytes), olu.profile, NOW);
    const keys = Object.keys(share);
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom(...keys), fc.anything(), (junk, key, value) => {
        expect(openInviteShare(olu.id, 'c', junk, profileOf, isOrganiser)).toBeNull();
        // fast-check sometimes draws the field's own value (it found community "c"); that share is intact and opens.
        fc.pre(!isDeepStrictEqual(value, share[key as keyof typeof share]));
        expect(openInviteShare(olu.id, 'c', { ...share, [key]: value }, profileOf, isOrganiser)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });
});
