import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import { createProfile, memberEntry } from '../../../src/core/model/community.ts';
import type { MemberEntry, Profile } from '../../../src/core/model/types.ts';

export const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

export interface Person {
  id: Identity;
  profile: Profile;
  entry: MemberEntry;
  name: string;
}

/**
 * The write-rights branch signs member entries (memberEntry(me, profile, community, feedUrl, now));
 * main still takes (profile, feedUrl, now). Whichever lands first, these tests build a valid entry.
 */
function entryOf(id: Identity, profile: Profile): MemberEntry {
  const make = memberEntry as unknown as (...args: unknown[]) => MemberEntry;
  return make.length >= 5 ? make(id, profile, 'c', 'automerge:feed', NOW) : make(profile, 'automerge:feed', NOW);
}

export function person(name: string): Person {
  const id = createIdentity();
  const profile = createProfile(id, name, NOW);
  return { id, profile, entry: entryOf(id, profile), name };
}

/** A members-only post as the app would write it: signed by its author before it is sealed. */
export function post(author: Person, id: string, text: string) {
  return signRecord<{ type: 'post'; id: string; author: string; text: string; sig: string }>({ type: 'post', id, author: author.id.agentId, text }, author.id.signSecretKey);
}

/** Signature checks memoised by record identity: records in these tests are never mutated. */
export function memoVerify(inner: (r: unknown) => boolean): (r: unknown) => boolean {
  const seen = new WeakMap<object, boolean>();
  return (r) => {
    if (typeof r !== 'object' || r === null) return inner(r);
    const hit = seen.get(r);
    if (hit !== undefined) return hit;
    const ok = inner(r);
    seen.set(r, ok);
    return ok;
  };
}
