import { buildKeyring, currentKey, keyId, open } from '../../../src/core/audience/index.ts';
import { collectEntries, openEntry } from '../../../src/core/sanctuary/index.ts';
import { memoVerify, NOW } from './people.ts';
import { verifyRecord } from '../../../src/core/crypto/sign.ts';
import type { Sim } from './community-sim.ts';

/** The end state of a community-sim run, checked: what the convergence property asserts. */
const verify = memoVerify(verifyRecord);
const MIN = 60_000;

/** The end state as every phone now sees it, checked; returns problems as readable strings (empty: fine). */
export function check(sim: Sim): string[] {
  const { v, everyone, idOf, ringOf, profileOf } = sim;
  const problems: string[] = [];
  if (!sim.settled) problems.push('did not settle');
  if (sim.firstKeys.length) problems.push(`a steward minted a first key again: ${sim.firstKeys}`);
  for (const aud of ['members', 'sanctuary'] as const) {
    const rotations = sim.rotated[aud].size;
    if (rotations > sim.cuts) problems.push(`${aud}: ${rotations} rotations for ${sim.cuts} entitlement cuts`);
    const envelopes = aud === 'members' ? v.akeys : v.skeys.map(([, e]) => e);
    const winners = new Set([...v.entitled[aud]].map((id) => {
      const k = currentKey(ringOf(everyone.find((p) => idOf(p) === id)!, aud, envelopes, v.trust));
      return k ? `${k.epoch}:${keyId(k.key)}` : 'none';
    }));
    if (winners.size !== 1) problems.push(`${aud}: entitled members hold ${winners.size} different current keys (${[...winners].map((w) => w.split(':')[0])})`);
  }
  // Members-only posts: every live one (its author still a member) opens for everyone entitled; posts of
  // authors entitled now are all re-sealed, so nobody else opens them with any key ever boxed to them.
  const live = v.posts.filter(([, x]) => v.members[x.author]);
  for (const p of everyone) {
    const id = idOf(p);
    if (v.entitled.members.has(id)) {
      const ring = ringOf(p, 'members', v.akeys, v.trust);
      const shut = live.filter(([, x]) => !open(x.rec, ring, verify).ok);
      if (shut.length) problems.push(`members: entitled ${p.name} cannot open ${shut.length}/${live.length} posts`);
    } else {
      const ring = buildKeyring(p.id, 'members', sim.allAkeys, profileOf, () => true).keyring;
      const leak = live.filter(([, x]) => v.entitled.members.has(x.author) && x.author !== id && open(x.rec, ring, verify).ok);
      if (leak.length) problems.push(`members: ${p.name}, not entitled, opens ${leak.length} posts of entitled authors`);
    }
  }
  // Sanctuary entries: live when whoever last wrote their contents is still a steward.
  const liveIds = [...new Set(v.entries.map((e) => e.id))].filter((id) => v.trust.isSteward(sim.contentAuthor.get(id) ?? '')).sort();
  for (const p of everyone) {
    const id = idOf(p);
    if (v.entitled.sanctuary.has(id)) {
      const seen = collectEntries(v.entries, ringOf(p, 'sanctuary', v.skeys.map(([, e]) => e), v.trust), v.trust, verify);
      const ids = new Set(seen.entries.map((e) => e.id));
      const missing = liveIds.filter((x) => !ids.has(x));
      if (missing.length) problems.push(`sanctuary: entitled ${p.name} misses ${missing.length}/${liveIds.length} entries (${seen.rejected.map((r) => r.reason)})`);
    } else {
      const ring = buildKeyring(p.id, 'sanctuary', sim.allSkeys, profileOf, () => true).keyring;
      const leak = v.entries.filter((e) => liveIds.includes(e.id) && openEntry(e, ring).ok);
      if (leak.length) problems.push(`sanctuary: ${p.name}, not entitled, opens ${leak.length} live entries (${leak.map((e) => `written ${(e.updated - NOW) / MIN} under epoch ${e.epoch}`)})`);
    }
  }
  return problems;
}

