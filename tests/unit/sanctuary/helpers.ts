import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { createProfile, memberEntry } from '../../../src/core/model/community.ts';
import { DEFAULT_THRESHOLDS, type MemberEntry, type Profile } from '../../../src/core/model/types.ts';
import type { SanctuaryTier, TrustContext } from '../../../src/core/trust/can.ts';
import type { SanctuaryEntryPlain } from '../../../src/core/sanctuary/index.ts';

export const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
export const DAY = 24 * 60 * 60 * 1000;

export interface Person {
  id: Identity;
  profile: Profile;
}

function person(name: string): Person {
  const id = createIdentity();
  return { id, profile: createProfile(id, name, NOW - 100 * DAY) };
}

/** One community: two stewards, a trusted member, a vouched one and an outsider. */
export function community() {
  const s1 = person('Steward One');
  const s2 = person('Steward Two');
  const s3 = person('Steward Three');
  const trusted = person('Trusted');
  const vouched = person('Vouched');
  const outsider = person('Outsider');
  const scores = new Map<string, number>([
    [s1.id.agentId, 1],
    [s2.id.agentId, 0.95],
    [s3.id.agentId, 0.92],
    [trusted.id.agentId, 0.8],
    [vouched.id.agentId, 0.55],
  ]);
  const all = [s1, s2, s3, trusted, vouched, outsider];
  const members: Record<string, MemberEntry> = Object.fromEntries(all.map((p) => [p.id.agentId, memberEntry(p.id, p.profile, 'c', 'automerge:x', NOW - 100 * DAY)]));
  const ctx = (sanctuaryTier: SanctuaryTier = 'steward', table: Map<string, number> = scores): TrustContext => ({
    scores: { score: (a) => table.get(a) ?? 0 },
    thresholds: DEFAULT_THRESHOLDS,
    sanctuaryTier,
  });
  const profileOf = (a: string) => all.find((p) => p.id.agentId === a)?.profile;
  return { s1, s2, s3, trusted, vouched, outsider, scores, members, ctx, profileOf, all };
}

export function plain(over: Partial<SanctuaryEntryPlain> = {}): SanctuaryEntryPlain {
  return {
    kind: 'housing',
    title: 'Spare room, two beds',
    capacity: 2,
    languages: ['es', 'en'],
    accessibility: ['step-free'],
    area: 'north',
    contactMethod: 'ask a steward for Rosa',
    address: 'Calle Falsa 123, piso 2',
    notes: 'Quiet house, no pets.',
    expires: NOW + 60 * DAY,
    ...over,
  };
}
