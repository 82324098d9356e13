import type { Identity } from '../crypto/keys.ts';
import { toBase64Url } from '../crypto/encoding.ts';
import { signRecord, verifyRecord } from '../crypto/sign.ts';
import type { CommunityDoc, FeedDoc, MemberEntry, Profile } from './types.ts';
import type { FoundingRecord } from './community-records.ts';
import { defaultSettings } from './community-settings.ts';
import { plainScalars } from './scalar-strings.ts';

/**
 * A new community doc founded by `founding` (whose settings it also copies into the plain fields, for
 * readers that predate signed settings). Without a founding record the doc has no settings anyone honours.
 */
export function newCommunityDoc(id: string, name: string, description: string, now: number, founding?: FoundingRecord): CommunityDoc {
  const s = founding?.settings ?? defaultSettings(name, description);
  return {
    type: 'community',
    id,
    ...(founding ? { founding, settings: {} } : {}),
    name: s.name,
    description: s.description,
    categories: s.categories,
    areas: s.areas,
    members: {},
    thresholds: { ...s.thresholds },
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

/** My entry in `community`'s directory, signed by me over my profile and my feed's URL. */
export function memberEntry(me: Identity, profile: Profile, community: string, feedUrl: string, now: number): MemberEntry {
  return signRecord<MemberEntry>({ type: 'membership', author: me.agentId, community, profile, feedUrl, joined: now }, me.signSecretKey);
}

/**
 * The member entries a community doc holds as they stand, unchecked, stored as text or as scalars
 * (scalar-strings.ts) and read as plain strings. Checked ones come from readCommunity.
 */
export function memberEntries(doc: Partial<CommunityDoc> | undefined): Record<string, MemberEntry> {
  return plainScalars(doc?.members ?? {});
}

/**
 * Every signed record of a community doc that readCommunity checks — member entries and their profiles,
 * the founding record, settings, retirements, hub records — in plain form: for checking their signatures in one
 * batch with the platform's native ed25519 before the reader checks them one by one (a newcomer's
 * phone otherwise spends ~60 ms a record at 4× CPU slowdown on the way to its first screen).
 */
export function communityRecords(doc: Partial<CommunityDoc> | undefined): unknown[] {
  const members = Object.values(memberEntries(doc)).flatMap((m) => [m, m?.profile]);
  const maps = [doc?.settings, doc?.retirements, doc?.hubs].flatMap((m) => (m && typeof m === 'object' ? Object.values(m).map(plainScalars) : []));
  return [...members, plainScalars(doc?.founding), ...maps].filter((r) => r !== undefined);
}

/**
 * A member entry counts only under its own agent id, signed by that agent (entry and profile), and —
 * when `community` is given — only in that community.
 */
export function validMember(agentId: string, m: MemberEntry | undefined, community?: string): boolean {
  if (!m || typeof m !== 'object' || m.type !== 'membership' || m.author !== agentId || typeof m.feedUrl !== 'string' || m.feedUrl.length > 200) return false;
  if (typeof m.joined !== 'number' || (community !== undefined && m.community !== community)) return false;
  const p = m.profile;
  const profileOk = !!p && typeof p === 'object' && p.type === 'profile' && p.author === agentId && typeof p.name === 'string' && p.name.length <= 60 && verifyRecord(p);
  return profileOk && verifyRecord(m);
}
