import type { Identity } from '../crypto/keys.ts';
import { toBase64Url } from '../crypto/encoding.ts';
import { signRecord, verifyRecord } from '../crypto/sign.ts';
import { DEFAULT_THRESHOLDS, type CommunityDoc, type FeedDoc, type MemberEntry, type Profile } from './types.ts';

const DEFAULT_CATEGORIES: Array<[string, string, boolean?]> = [
  ['food', 'Food', true],
  ['tools', 'Tools'],
  ['clothing', 'Clothing'],
  ['housing', 'Housing'],
  ['transport', 'Transport'],
  ['skills', 'Skills & labour'],
  ['medical', 'Medical supplies'],
  ['childcare', 'Childcare'],
  ['other', 'Other'],
];

const DEFAULT_AREAS = ['north', 'south', 'east', 'west', 'centre'];

export function newCommunityDoc(id: string, name: string, description: string, now: number): CommunityDoc {
  return {
    type: 'community',
    id,
    name,
    description,
    categories: Object.fromEntries(
      DEFAULT_CATEGORIES.map(([cid, cname, perishable]) => [cid, perishable ? { id: cid, name: cname, perishable } : { id: cid, name: cname }]),
    ),
    areas: Object.fromEntries(DEFAULT_AREAS.map((a) => [a, { id: a, name: a }])),
    members: {},
    thresholds: { ...DEFAULT_THRESHOLDS },
    created: now,
  };
}

export function newFeedDoc(owner: string, community: string): FeedDoc {
  return { type: 'feed', owner, community, intents: {}, proposals: {}, commitments: {}, events: {}, vouches: {}, revocations: {} };
}

export function createProfile(me: Identity, name: string, now: number): Profile {
  return signRecord<Profile>(
    { type: 'profile', author: me.agentId, name: name.trim(), boxKey: toBase64Url(me.boxPublicKey), created: now },
    me.signSecretKey,
  );
}

export function memberEntry(profile: Profile, feedUrl: string, now: number): MemberEntry {
  return { profile, feedUrl, joined: now };
}

/** A member entry counts only under its own agent id and with a valid self-signed profile. */
export function validMember(agentId: string, m: MemberEntry | undefined): boolean {
  if (!m || typeof m.feedUrl !== 'string') return false;
  const p = m.profile;
  return !!p && p.type === 'profile' && p.author === agentId && typeof p.name === 'string' && p.name.length <= 60 && verifyRecord(p);
}
