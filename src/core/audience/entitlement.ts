import { validMember } from '../model/community.ts';
import type { MemberEntry, Profile, TrustThresholds, Vouch } from '../model/types.ts';
import { can, type SanctuaryTier, type TrustContext } from '../trust/can.ts';
import { buildGraph } from '../trust/graph.ts';
import { computeScores, DEFAULT_TRUST_PARAMS, type TrustParams } from '../trust/score.ts';
import type { SealedAudience } from './types.ts';

type Edge = Pick<Vouch, 'from' | 'to' | 'strength'>;

/** The community's view of everyone: shared data only, so every phone computes the same numbers. */
export interface CommunityTrust extends TrustContext {
  /** The signed steward set (founder and the stewards its settings name), sorted. */
  readonly anchors: readonly string[];
  /** Anchors, plus members the anchors together score at the steward threshold. */
  isSteward(agentId: string): boolean;
}

/**
 * Trust as the community's stewards see it *as a set*: a member's score is the best score any signed
 * steward gives them over the published vouch graph (their standing, as in trust/score.ts, and no
 * phone's private anchors), and every signed steward scores 1. Each phone's own view differs (80 % here, 64 % there) — deciding key holders from
 * those views made stewards disagree and rotate in storms. This depends only on the validated vouches
 * (collectVouches over the feeds) and the steward-signed settings, so equal docs give equal answers.
 */
export function communityContext(
  vouches: readonly Edge[],
  anchors: readonly string[],
  thresholds: TrustThresholds,
  sanctuaryTier: SanctuaryTier,
  params: Readonly<TrustParams> = DEFAULT_TRUST_PARAMS,
  removed: Readonly<Record<string, number>> = {},
): CommunityTrust {
  // Members the organisers removed score nothing and their vouches carry nothing: vouches *for* them
  // stay in other feeds, and with a high score a removed member stayed an issuer — her envelopes were
  // opened (the sanctuary reads profiles from the raw doc) and a bogus higher epoch made stewards wait
  // instead of rotating her out.
  const gone = (id: string) => Object.hasOwn(removed, id);
  const sorted = [...new Set(anchors)].filter((a) => !gone(a)).sort();
  const graph = buildGraph(vouches.filter((v) => !gone(v.from) && !gone(v.to)));
  const best = new Map<string, number>();
  for (const a of sorted) {
    for (const [id, s] of computeScores(graph, a, params).scores) if (s > (best.get(id) ?? 0)) best.set(id, s);
  }
  for (const a of sorted) best.set(a, 1);
  const score = (id: string) => best.get(id) ?? 0;
  return { anchors: sorted, scores: { score }, thresholds, sanctuaryTier, isSteward: (id) => score(id) >= thresholds.steward };
}

/** Why a member is (not) entitled to an audience; `needs` names the tier that is missing. */
export type Entitlement = { entitled: true } | { entitled: false; reason: 'not-a-member' | 'needs-vouch' | 'needs-trusted' | 'needs-steward'; score: number; threshold: number };

/** Whether `agentId`, as the community sees them, may hold `audience`'s keys. */
export function entitlement(audience: SealedAudience, agentId: string, member: MemberEntry | undefined, trust: CommunityTrust): Entitlement {
  const score = trust.scores.score(agentId);
  const t = trust.thresholds;
  if (!validMember(agentId, member)) return { entitled: false, reason: 'not-a-member', score, threshold: t.post };
  if (trust.isSteward(agentId)) return { entitled: true };
  const need = audience === 'members' ? 'vouched' : audience === 'sanctuary' ? trust.sanctuaryTier : 'steward';
  if (need === 'vouched') return can(trust, agentId, 'post-offer').allowed ? { entitled: true } : { entitled: false, reason: 'needs-vouch', score, threshold: t.post };
  if (need === 'trusted') return can(trust, agentId, 'vouch').allowed ? { entitled: true } : { entitled: false, reason: 'needs-trusted', score, threshold: t.vouch };
  return { entitled: false, reason: 'needs-steward', score, threshold: t.steward };
}

/** Signed profiles of every member entitled to `audience`, sorted by agent id. */
export function entitledProfiles(audience: SealedAudience, members: Record<string, MemberEntry>, trust: CommunityTrust): Profile[] {
  return Object.keys(members)
    .sort()
    .filter((id) => entitlement(audience, id, members[id], trust).entitled)
    .map((id) => members[id].profile);
}
