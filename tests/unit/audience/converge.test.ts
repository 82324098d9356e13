import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildKeyring,
  communityContext,
  entitledProfiles,
  keyDuties,
  open,
  resealOutdated,
  seal,
  type CommunityTrust,
  type KeyEnvelope,
  type SealedRecord,
} from '../../../src/core/audience/index.ts';
import { verifyRecord } from '../../../src/core/crypto/sign.ts';
import { DEFAULT_THRESHOLDS, type MemberEntry } from '../../../src/core/model/types.ts';
import { memoVerify, NOW, person, post, type Person } from './people.ts';

/**
 * A community modelled as its shared records, merged as Automerge merges maps of records: envelopes and
 * vouches are keyed by unique ids (a union), a sealed post is one key (last writer wins, in whatever order
 * the replicas' changes arrive). Stewards act concurrently each round on a view that may lag one round
 * behind; their writes are merged in a random order.
 */
type Event = { kind: 'join' | 'vouch' | 'svouch' | 'revoke'; a: number; b: number; strength: 1 | 2 | 3 };
type Round = { events: Event[]; act: boolean[]; stale: boolean[]; writers: number[]; seed: number };

const event = fc.record({
  kind: fc.constantFrom<Event['kind']>('join', 'vouch', 'svouch', 'svouch', 'revoke', 'revoke'),
  a: fc.nat(50),
  b: fc.nat(50),
  strength: fc.constantFrom<1 | 2 | 3>(1, 2, 3),
});
const round = fc.record({
  events: fc.array(event, { minLength: 1, maxLength: 3 }),
  act: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
  stale: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
  writers: fc.array(fc.nat(50), { maxLength: 2 }),
  seed: fc.nat(),
});

function shuffle<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

interface Shared {
  joined: Set<string>;
  vouches: Map<string, { from: string; to: string; strength: 1 | 2 | 3 }>;
  revoked: Set<string>;
}

const copy = (s: Shared): Shared => ({ joined: new Set(s.joined), vouches: new Map(s.vouches), revoked: new Set(s.revoked) });

function simulate(stewardCount: number, otherCount: number, rounds: Round[]) {
  const verify = memoVerify(verifyRecord);
  const stewards = Array.from({ length: stewardCount }, (_, i) => person(`Steward ${i}`));
  const others = Array.from({ length: otherCount }, (_, i) => person(`Member ${i}`));
  const outsider = person('Outsider');
  const everyone = [...stewards, ...others, outsider];
  const byId = new Map(everyone.map((p) => [p.id.agentId, p]));
  const profileOf = (a: string) => byId.get(a)?.profile;
  const anchors = stewards.map((s) => s.id.agentId);

  // Half the members start vouched for by one steward each (entitled), the rest join later.
  const start = others.slice(0, Math.ceil(others.length / 2));
  const shared: Shared = {
    joined: new Set([...anchors, ...start.map((p) => p.id.agentId)]),
    vouches: new Map(start.map((p, i) => [`v0-${i}`, { from: anchors[i % anchors.length], to: p.id.agentId, strength: 2 as const }])),
    revoked: new Set(),
  };
  const envelopes = new Map<string, KeyEnvelope>();
  const posts = new Map<string, SealedRecord>();
  const members = (s: Shared): Record<string, MemberEntry> => Object.fromEntries([...s.joined].map((id) => [id, byId.get(id)!.entry]));
  const trustOf = (s: Shared): CommunityTrust =>
    communityContext([...s.vouches].filter(([id]) => !s.revoked.has(id)).map(([, v]) => v), anchors, DEFAULT_THRESHOLDS, 'steward');
  const entitledIds = (s: Shared) => new Set(entitledProfiles('members', members(s), trustOf(s)).map((p) => p.author));
  const ringOf = (p: Person, trust: CommunityTrust) => buildKeyring(p.id, 'members', envelopes.values(), profileOf, trust.isSteward).keyring;
  let clock = NOW;
  let postCount = 0;

  /** One steward's writes for this tick, from its view. */
  function act(s: Person, view: Shared) {
    const trust = trustOf(view);
    const keyring = ringOf(s, trust);
    const entitled = entitledProfiles('members', members(view), trust);
    const duty = keyDuties({ audience: 'members', me: s.id, keyring, envelopes: envelopes.values(), entitled, isIssuer: trust.isSteward, now: clock, verify });
    const ring = duty.kind === 'rotate' ? duty.keyring : keyring;
    const ids = [...posts.keys()];
    const resealed = resealOutdated(ids.map((id) => posts.get(id)), ring, undefined, verify);
    return {
      envelopes: duty.kind === 'none' ? [] : duty.envelopes,
      posts: [...resealed].map(([i, rec]) => [ids[i], rec] as const),
      rotated: duty.kind === 'rotate',
    };
  }

  function merge(outputs: ReturnType<typeof act>[], seed: number) {
    for (const o of shuffle(outputs, seed)) {
      for (const e of o.envelopes) envelopes.set(e.id, e);
      for (const [id, rec] of o.posts) posts.set(id, rec);
    }
  }

  // Steward 0 opens the audience alone: epoch 1.
  merge([act(stewards[0], shared)], 1);
  let previous = entitledIds(shared);
  let lossRounds = 0;

  for (const r of rounds) {
    clock += 60_000;
    const before = copy(shared);
    for (const e of r.events) applyEvent(shared, e, everyone, stewards, `v${clock}-${shared.vouches.size}`);
    const now = entitledIds(shared);
    if ([...previous].some((id) => !now.has(id))) lossRounds++;
    previous = now;
    const outputs = stewards.flatMap((s, i) => (r.act[i] ? [act(s, r.stale[i] ? before : shared)] : []));
    // Members entitled in the shared state write members-only posts with the key they hold.
    const trust = trustOf(shared);
    for (const w of r.writers) {
      const p = everyone[w % everyone.length];
      if (!now.has(p.id.agentId)) continue;
      const ring = ringOf(p, trust);
      if (ring.size === 0) continue;
      const id = `post-${postCount++}`;
      outputs.push({ envelopes: [], posts: [[id, seal(post(p, id, `text ${id}`), 'members', ring)] as const], rotated: false });
    }
    merge(outputs, r.seed);
  }

  // Quiet rounds: every steward acts on the full state until nobody has anything to write.
  let settled = false;
  for (let i = 0; i < 8 && !settled; i++) {
    clock += 60_000;
    const outputs = stewards.map((s) => act(s, shared));
    settled = outputs.every((o) => o.envelopes.length === 0 && o.posts.length === 0);
    merge(outputs, i + 7);
  }

  const epochs = [...envelopes.values()].map((e) => e.epoch);
  const trust = trustOf(shared);
  const finalEntitled = entitledIds(shared);
  const readers = everyone.map((p) => ({ p, ring: ringOf(p, trust) }));
  return { settled, rotations: Math.max(...epochs) - 1, lossRounds, finalEntitled, readers, posts: [...posts.values()], verify };
}

function applyEvent(s: Shared, e: Event, everyone: Person[], stewards: Person[], vouchId: string): void {
  const joined = everyone.filter((p) => s.joined.has(p.id.agentId));
  const outsider = everyone[everyone.length - 1];
  switch (e.kind) {
    case 'join': {
      const p = everyone[e.a % (everyone.length - 1)]; // the outsider never joins
      s.joined.add(p.id.agentId);
      return;
    }
    case 'vouch':
    case 'svouch': {
      const from = e.kind === 'svouch' ? stewards[e.a % stewards.length] : joined[e.a % joined.length];
      const to = joined[e.b % joined.length];
      if (from === to || to === outsider) return;
      s.vouches.set(vouchId, { from: from.id.agentId, to: to.id.agentId, strength: e.strength });
      return;
    }
    case 'revoke': {
      const live = [...s.vouches.keys()].filter((id) => !s.revoked.has(id)).sort();
      if (live.length) s.revoked.add(live[e.a % live.length]);
    }
  }
}

describe('converging entitlement', () => {
  it(
    'Scenario: stewards with divergent views and concurrent edits rotate at most once per loss and everyone entitled reads every post (property)',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: 3, max: 7 }), fc.integer({ min: 3, max: 6 }), fc.array(round, { minLength: 3, maxLength: 7 }), (stewardCount, otherCount, rounds) => {
          const sim = simulate(stewardCount, otherCount, rounds);
          expect(sim.settled).toBe(true);
          expect(sim.rotations).toBeLessThanOrEqual(sim.lossRounds);
          for (const { p, ring } of sim.readers) {
            const entitled = sim.finalEntitled.has(p.id.agentId);
            for (const rec of sim.posts) expect({ who: p.name, read: open(rec, ring, sim.verify).ok }).toEqual({ who: p.name, read: entitled });
          }
        }),
        { numRuns: 12 },
      );
    },
    240_000,
  );
});
