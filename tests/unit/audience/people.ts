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

export function person(name: string): Person {
  const id = createIdentity();
  const profile = createProfile(id, name, NOW);
  return { id, profile, entry: memberEntry(profile, 'automerge:feed', NOW), name };
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
