import fc from 'fast-check';
import {
  buildKeyring,
  communityContext,
  currentKey,
  entitledProfiles,
  keyDuties,
  resealOutdated,
  seal,
  type CommunityTrust,
  type KeyEnvelope,
  type Keyring,
  type SealedAudience,
  type SealedRecord,
} from '../../../src/core/audience/index.ts';
import { verifyRecord } from '../../../src/core/crypto/sign.ts';
import { DEFAULT_THRESHOLDS, type MemberEntry } from '../../../src/core/model/types.ts';
import { createEntry, editEntry, entitledMembers, replacedKeys, retiredEnvelopes, sanctuaryDuties, supersededKeys, versionKey, type SanctuaryEntryRecord } from '../../../src/core/sanctuary/index.ts';
import type { SanctuaryTier } from '../../../src/core/trust/can.ts';
import { perspectiveScores, withStewards } from '../../../src/core/trust/perspective.ts';
import { plain } from '../sanctuary/helpers.ts';
import { memoVerify, NOW, person, post, type Person } from './people.ts';

/**
 * A community of phones, each with its own replica of the shared docs, merged as Automerge merges maps:
 * every record sits under its own key with a Lamport stamp (counter, actor); of two writes to one key the
 * causally later wins, of concurrent ones the higher stamp — whichever order replicas exchange them in.
 * A deletion is a write of `undefined` (the sanctuary phone deletes older envelopes when it rotates).
 * Phones sync with the relay only now and then, so each acts on a view several rounds old plus its own
 * writes. Stewards decide from the community's shared view (communityContext over their replica) while
 * their own perspective (their private anchors, themselves as viewer) differs; both are recorded.
 */
export type Kind = 'member' | 'vouch' | 'revoke' | 'removed' | 'akeys' | 'skeys' | 'posts' | 'entries';
interface Reg {
  v: unknown;
  c: number;
  a: number;
}
type EventKind = 'join' | 'vouch' | 'svouch' | 'revoke' | 'remove';
export type Event = { kind: EventKind; a: number; b: number; strength: 1 | 2 | 3 };
export type Round = { events: Event[]; sync: number[]; act: boolean[]; posts: number[]; entries: number[] };
export type Setup = { stewards: number; signed: number; others: number; tier: SanctuaryTier; privateAnchors: number[][]; actors: number };
type Edge = { from: string; to: string; strength: 1 | 2 | 3 };
type Post = { author: string; rec: SealedRecord };
const PHONES = 15;

export const setupArb: fc.Arbitrary<Setup> = fc.record({
  stewards: fc.integer({ min: 3, max: 7 }),
  signed: fc.nat(),
  others: fc.integer({ min: 3, max: 7 }),
  tier: fc.constantFrom<SanctuaryTier>('steward', 'trusted'),
  privateAnchors: fc.array(fc.array(fc.nat(50), { minLength: 1, maxLength: 2 }), { minLength: 7, maxLength: 7 }),
  actors: fc.nat(),
});
const eventArb = fc.record({
  kind: fc.constantFrom<EventKind>('join', 'vouch', 'svouch', 'svouch', 'revoke', 'revoke', 'remove'),
  a: fc.nat(50),
  b: fc.nat(50),
  strength: fc.constantFrom<1 | 2 | 3>(1, 2, 3),
});
export const roundArb: fc.Arbitrary<Round> = fc.record({
  events: fc.array(eventArb, { maxLength: 3 }),
  // A phone syncs with the relay in a round when its number is below 4 (~40 %): views lag several rounds.
  sync: fc.array(fc.nat(9), { minLength: PHONES, maxLength: PHONES }),
  act: fc.array(fc.boolean(), { minLength: PHONES, maxLength: PHONES }),
  posts: fc.array(fc.nat(50), { maxLength: 2 }),
  entries: fc.array(fc.nat(50), { maxLength: 2 }),
});

/** Deterministic shuffle (a permutation from `seed`). */
export function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

class Replica {
  clock = 0;
  version = 0;
  readonly maps = new Map<Kind, Map<string, Reg>>();
  kind(k: Kind): Map<string, Reg> {
    let m = this.maps.get(k);
    if (!m) this.maps.set(k, (m = new Map()));
    return m;
  }
  /** Takes the reg if it is newer than what this replica holds under that key. */
  take(k: Kind, id: string, r: Reg): boolean {
    const m = this.kind(k);
    const cur = m.get(id);
    if (cur && (cur === r || cur.c > r.c || (cur.c === r.c && cur.a >= r.a))) return false;
    m.set(id, r);
    this.clock = Math.max(this.clock, r.c);
    this.version++;
    return true;
  }
  mergeFrom(other: Replica): void {
    for (const [k, m] of other.maps) for (const [id, r] of m) this.take(k, id, r);
  }
  values<T>(k: Kind): T[] {
    return [...this.kind(k).values()].filter((r) => r.v !== undefined).map((r) => r.v as T);
  }
  live(k: Kind): [string, unknown][] {
    return [...this.kind(k)].filter(([, r]) => r.v !== undefined).map(([id, r]) => [id, r.v]);
  }
}

let pool: { stewards: Person[]; others: Person[]; outsider: Person } | undefined;
/** Identities are costly to make; every run draws from one pool (each run's docs are its own). */
function people() {
  pool ??= {
    stewards: Array.from({ length: 7 }, (_, i) => person(`Steward ${i}`)),
    others: Array.from({ length: 7 }, (_, i) => person(`Member ${i}`)),
    outsider: person('Outsider'),
  };
  return pool;
}

const verify = memoVerify(verifyRecord);
const MIN = 60_000;

export interface Stats {
  concurrentRotations: number;
  /** Runs that ended with an organiser of the start no longer one (removed, or a vouch that made them one revoked). */
  stewardsLost: number;
  personalDiverged: number;
  stewardsDisagreePersonally: number;
  maxStaleness: number;
}

export function simulate(setup: Setup, rounds: Round[], stats: Stats) {
  const pp = people();
  const stewards = pp.stewards.slice(0, setup.stewards);
  const others = pp.others.slice(0, setup.others);
  const everyone = [...stewards, ...others, pp.outsider];
  const byId = new Map(everyone.map((p) => [p.id.agentId, p]));
  const idOf = (p: Person) => p.id.agentId;
  const profileOf = (a: string) => byId.get(a)?.profile;
  // Signed stewards (the founder first); the others are stewards only through vouches.
  const signed = 1 + (setup.signed % (setup.stewards - 1));
  const anchors = stewards.slice(0, signed).map(idOf);
  const founder = anchors[0];
  const actor = new Map(shuffle(everyone, setup.actors).map((p, i) => [idOf(p), i]));
  const privateAnchors = stewards.map((_, i) => setup.privateAnchors[i].map((n) => idOf(everyone[n % (everyone.length - 1)])));

  const relay = new Replica();
  const omni = new Replica(); // every write anywhere, at once: the order events really happened in
  const reps = new Map(everyone.map((p) => [idOf(p), new Replica()]));
  const lastSync = new Map(everyone.map((p) => [idOf(p), NOW]));
  const allAkeys: KeyEnvelope[] = [];
  const allSkeys: KeyEnvelope[] = [];
  const contentAuthor = new Map<string, string>(); // entry id -> the steward who last wrote its contents
  const rotated = { members: new Map<number, number>(), sanctuary: new Map<number, number>() };
  let firstKeys: string[] = [];
  let clock = NOW;
  let nPost = 0;
  let nVouch = 0;
  let wrote = 0;

  function put(p: Person, k: Kind, id: string, v: unknown): void {
    const rep = reps.get(idOf(p))!;
    const r: Reg = { v, c: rep.clock + 1, a: actor.get(idOf(p))! };
    rep.take(k, id, r);
    omni.take(k, id, r);
    if (k === 'akeys' && v) allAkeys.push(v as KeyEnvelope);
    if (k === 'skeys' && v) allSkeys.push(v as KeyEnvelope);
    wrote++;
  }

  /** One key per version, older versions of the entry removed (client/sanctuary.ts putVersion). */
  function putVersion(p: Person, rec: SanctuaryEntryRecord): void {
    for (const k of replacedKeys(reps.get(idOf(p))!.live('entries'), rec)) put(p, 'entries', k, undefined);
    put(p, 'entries', versionKey(rec), rec);
  }

  const views = new WeakMap<Replica, { version: number; view: View }>();
  type View = ReturnType<typeof computeView>;
  // Many replicas hold the same trust data: the community's view of it is computed once per content.
  const trustCache = new Map<string, ReturnType<typeof trustOf>>();
  function trustOf(removed: Record<string, number>, memberIds: string[], vouches: Edge[]) {
    const members: Record<string, MemberEntry> = {};
    for (const id of memberIds) if (!Object.hasOwn(removed, id)) members[id] = byId.get(id)!.entry;
    const base = communityContext(vouches, anchors, DEFAULT_THRESHOLDS, 'steward', undefined, removed);
    const trust: CommunityTrust = { ...base, sanctuaryTier: setup.tier };
    const profiles = entitledProfiles('members', members, trust);
    const entitled = { members: new Set(profiles.map((p) => p.author)), sanctuary: new Set(entitledMembers(members, trust.scores, trust).map((p) => p.author)) };
    return { removed, members, vouches, trust, entitled, profiles };
  }
  function computeView(r: Replica) {
    const removed = Object.fromEntries(r.live('removed')) as Record<string, number>;
    const memberIds = r.live('member').map(([id]) => id).sort();
    const revoked = new Set(r.live('revoke').map(([id]) => id));
    const live = r.live('vouch').filter(([id]) => !revoked.has(id)).sort(([a], [b]) => (a < b ? -1 : 1));
    const key = `${Object.keys(removed).sort()}|${memberIds}|${live.map(([id]) => id)}`;
    let t = trustCache.get(key);
    if (!t) trustCache.set(key, (t = trustOf(removed, memberIds, live.map(([, v]) => v as Edge))));
    return { ...t, akeys: r.values<KeyEnvelope>('akeys'), skeys: r.live('skeys') as [string, KeyEnvelope][], posts: r.live('posts') as [string, Post][], entries: r.values<SanctuaryEntryRecord>('entries'), keyedEntries: r.live('entries') };
  }
  function viewOf(r: Replica): View {
    const hit = views.get(r);
    if (hit && hit.version === r.version) return hit.view;
    const view = computeView(r);
    views.set(r, { version: r.version, view });
    return view;
  }
  // A keyring depends only on the envelopes addressed to its holder and on which of their issuers count.
  const ringCache = new Map<string, Keyring>();
  function ringOf(p: Person, audience: SealedAudience, envelopes: Iterable<KeyEnvelope>, trust: CommunityTrust): Keyring {
    const all = [...envelopes];
    const mine = all.filter((e) => e.to === idOf(p));
    // Which keys count depends on every issuer's envelope too (a key counts once an issuer names it).
    const issued = all.filter((e) => e.to !== idOf(p) && trust.isSteward(e.author));
    const endorsed = [...new Set(issued.flatMap((e) => e.kids))].sort();
    const key = `${idOf(p)}|${audience}|${mine.map((e) => `${e.id}${trust.isSteward(e.author) ? '+' : '-'}`).sort()}|${endorsed}`;
    let ring = ringCache.get(key);
    if (!ring) ringCache.set(key, (ring = buildKeyring(p.id, audience, [...mine, ...issued], profileOf, trust.isSteward, verify).keyring));
    return ring;
  }
  /** What a steward's own phone thinks (its private anchors, itself as viewer): recorded, never decides. */
  function personal(i: number, v: View): Set<string> {
    const live = anchors.filter((a) => !Object.hasOwn(v.removed, a));
    const s = perspectiveScores(v.vouches, withStewards({ viewer: idOf(stewards[i]), anchors: privateAnchors[i], founder: i === 0 }, live));
    return new Set(Object.keys(v.members).filter((id) => s.score(id) >= DEFAULT_THRESHOLDS.post));
  }
  const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

  /** One phone's turn on its own replica: steward duties, re-sealing its own posts, maybe a new post or entry. */
  function act(p: Person, now: number, wantsPost: boolean, entry: number | null): void {
    const rep = reps.get(idOf(p))!;
    stats.maxStaleness = Math.max(stats.maxStaleness, Math.round((now - lastSync.get(idOf(p))!) / MIN));
    const v = viewOf(rep);
    const me = idOf(p);
    const steward = v.trust.isSteward(me);
    const mine = v.posts.filter(([, x]) => x.author === me);
    if (!steward && !wantsPost && mine.length === 0) return; // nothing for this phone to do
    let ring = ringOf(p, 'members', v.akeys, v.trust);
    if (steward) {
      const i = stewards.indexOf(p);
      if (i >= 0 && !same(personal(i, v), v.entitled.members)) stats.personalDiverged++;
      const duty = keyDuties({ audience: 'members', me: p.id, keyring: ring, envelopes: v.akeys, entitled: v.profiles, isIssuer: v.trust.isSteward, now, verify });
      if (duty.kind !== 'none') for (const e of duty.envelopes) put(p, 'akeys', e.id, e);
      if (duty.kind === 'rotate') {
        ring = duty.keyring;
        if (duty.why !== 'first-key') rotated.members.set(duty.key.epoch, (rotated.members.get(duty.key.epoch) ?? 0) + 1);
        else firstKeys.push(`members by ${p.name} at ${(now - NOW) / MIN}`);
      }
      const s = sanctuaryDuties({ me: p.id, trust: v.trust, members: v.members, envelopes: v.skeys.map(([, e]) => e), entries: v.entries, profileOf, now, verify });
      const d = s.duty;
      if (d.kind === 'rotate') {
        if (d.why !== 'first-key') {
          rotated.sanctuary.set(d.key.epoch, (rotated.sanctuary.get(d.key.epoch) ?? 0) + 1);
          // As the sanctuary phone does (client/sanctuary.ts): a rotation retires older envelopes.
          for (const id of retiredEnvelopes(v.skeys, d.key.epoch, d.keyring)) put(p, 'skeys', id, undefined);
        } else firstKeys.push(`sanctuary by ${p.name} at ${(now - NOW) / MIN}`);
      }
      if (d.kind !== 'none') for (const e of d.envelopes) put(p, 'skeys', e.id, e);
      // As the sanctuary phone does (client/sanctuary.ts): versions an accepted newer one supersedes go.
      for (const k of supersededKeys(v.keyedEntries, s.accepted)) put(p, 'entries', k, undefined);
      for (const e of s.entries) putVersion(p, e);
      const key = currentKey(s.keyring);
      if (entry !== null && key) {
        const prev = entry % 3 === 0 ? v.entries[entry % Math.max(1, v.entries.length)] : undefined;
        const rec = prev ? editEntry(p.id, key, prev, plain({ title: `edit ${now}` }), now) : createEntry(p.id, key, plain({ title: `entry ${now}` }), now);
        putVersion(p, rec);
        contentAuthor.set(rec.id, me);
      }
    }
    // Every phone keeps its own members-only posts under the current key (client/members-key.ts resealMine).
    for (const [i, rec] of resealOutdated(mine.map(([, x]) => x.rec), ring, undefined, verify)) put(p, 'posts', mine[i][0], { ...mine[i][1], rec });
    if (wantsPost && currentKey(ring)) {
      const id = `post-${nPost++}`;
      put(p, 'posts', id, { author: me, rec: seal(post(p, id, `text ${id}`), 'members', ring) } satisfies Post);
    }
  }

  function sync(p: Person): void {
    const rep = reps.get(idOf(p))!;
    relay.mergeFrom(rep);
    rep.mergeFrom(relay);
    lastSync.set(idOf(p), clock);
  }

  // Events that could cut anyone's entitlement: every revocation and removal, a vouch or join only if it did
  // (capacity) in the order things really happened (omni). A phone's partial view may see a loss the full
  // state never shows (a revocation without a concurrent new vouch), so losses are counted by their causes.
  let cuts = 0;
  let prev = { members: new Set<string>(), sanctuary: new Set<string>() };
  function track(kind: EventKind | 'setup'): void {
    const now = viewOf(omni).entitled;
    let shrank = false;
    for (const aud of ['members', 'sanctuary'] as const) {
      if ([...prev[aud]].some((id) => !now[aud].has(id))) shrank = true;
    }
    if (kind === 'revoke' || kind === 'remove' || shrank) cuts++;
    prev = now;
  }

  function applyEvent(e: Event): void {
    switch (e.kind) {
      case 'join': {
        const p = everyone[e.a % (everyone.length - 1)]; // the outsider never joins
        if (!reps.get(idOf(p))!.kind('member').has(idOf(p))) put(p, 'member', idOf(p), true);
        return;
      }
      case 'vouch':
      case 'svouch': {
        const from = e.kind === 'svouch' ? stewards[e.a % stewards.length] : everyone[e.a % (everyone.length - 1)];
        const v = viewOf(reps.get(idOf(from))!);
        const targets = Object.keys(v.members).filter((id) => id !== idOf(from)).sort();
        if (!v.members[idOf(from)] || targets.length === 0) return;
        const edge: Edge = { from: idOf(from), to: targets[e.b % targets.length], strength: e.strength };
        put(from, 'vouch', `v${nVouch++}`, edge);
        return;
      }
      case 'revoke': {
        // Only a vouch's author revokes it; their own replica holds it.
        const revoked = new Set(omni.live('revoke').map(([id]) => id));
        const live = omni
          .live('vouch')
          .filter(([id]) => !revoked.has(id))
          .sort(([a], [b]) => (a < b ? -1 : 1));
        if (!live.length) return;
        const [id, v] = live[e.a % live.length];
        put(byId.get((v as Edge).from)!, 'revoke', id, true);
        return;
      }
      case 'remove': {
        // The founder removes anyone else: a member, a signed steward or a vouched-in one.
        const targets = everyone.slice(0, -1).filter((p) => idOf(p) !== founder);
        const t = targets[e.a % targets.length];
        if (!reps.get(founder)!.kind('removed').has(idOf(t))) put(byId.get(founder)!, 'removed', idOf(t), clock);
      }
    }
  }

  // The founding state, on every replica: stewards and half the members joined; the vouched-in stewards
  // are stewards by a founder's vouch and a helper member's (0.928 as the founder sees them).
  const helper = others[0];
  const start = others.slice(0, Math.ceil(others.length / 2));
  for (const p of [...stewards, ...start]) put(p, 'member', idOf(p), true);
  put(byId.get(founder)!, 'vouch', `v${nVouch++}`, { from: founder, to: idOf(helper), strength: 3 } satisfies Edge);
  for (const s of stewards.slice(signed)) {
    put(byId.get(founder)!, 'vouch', `v${nVouch++}`, { from: founder, to: idOf(s), strength: 3 } satisfies Edge);
    put(helper, 'vouch', `v${nVouch++}`, { from: idOf(helper), to: idOf(s), strength: 3 } satisfies Edge);
  }
  start.slice(1).forEach((p, i) => put(byId.get(anchors[i % anchors.length])!, 'vouch', `v${nVouch++}`, { from: anchors[i % anchors.length], to: idOf(p), strength: 2 } satisfies Edge));
  for (const p of everyone) relay.mergeFrom(reps.get(idOf(p))!);
  const founded = viewOf(relay).trust;
  if (!stewards.every((s) => founded.isSteward(idOf(s)))) throw new Error('setup: every steward should start as one');
  act(byId.get(founder)!, clock, false, null);
  for (const p of everyone) sync(p);
  firstKeys = [];
  track('setup');

  for (const r of rounds) {
    clock += MIN;
    for (const e of r.events) {
      applyEvent(e);
      track(e.kind);
    }
    for (const p of shuffle(everyone, r.sync[0] * 7919 + clock)) if (r.sync[everyone.indexOf(p)] < 4) sync(p);
    const postWriters = new Set(r.posts.map((n) => n % (everyone.length - 1)));
    const entryWriters = new Map(r.entries.map((n) => [n % stewards.length, n]));
    everyone.forEach((p, i) => {
      const writes = postWriters.has(i) || entryWriters.has(i);
      if (r.act[i] || writes) act(p, clock + MIN / 2, postWriters.has(i), entryWriters.get(i) ?? null);
    });
  }
  // Quiet rounds: every phone syncs, then acts, until nobody writes anything.
  let settled = false;
  for (let i = 0; i < 10 && !settled; i++) {
    clock += MIN;
    for (const p of everyone) relay.mergeFrom(reps.get(idOf(p))!);
    for (const p of everyone) sync(p);
    wrote = 0;
    for (const p of everyone) act(p, clock + MIN / 2, false, null);
    settled = wrote === 0;
  }

  const v = viewOf(relay);
  const final = stewards.filter((s) => v.trust.isSteward(idOf(s))).map((s) => personal(stewards.indexOf(s), v));
  if (final.some((s) => !same(s, final[0]))) stats.stewardsDisagreePersonally++;
  if (final.length < stewards.length) stats.stewardsLost++;
  stats.concurrentRotations += [...rotated.members.values(), ...rotated.sanctuary.values()].filter((n) => n > 1).length;
  return { settled, v, everyone, cuts, rotated, firstKeys, allAkeys, allSkeys, contentAuthor, profileOf, ringOf, idOf };
}

export type Sim = ReturnType<typeof simulate>;
