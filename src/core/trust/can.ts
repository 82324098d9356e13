import type { TrustThresholds } from '../model/types.ts';
import { tierAtLeast, tierOf, type Tier } from './tiers.ts';

export const ACTIONS = [
  'view-public',
  'view-members',
  'post-offer',
  'post-need',
  'message',
  'see-alerts',
  'raise-alert',
  'see-sanctuary',
  'print-sanctuary',
  'print-noticeboard',
  'vouch',
  'steward',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Which tier may see and print sanctuary entries: a community setting. */
export type SanctuaryTier = 'steward' | 'trusted';

export interface TrustContext {
  /** Scores from the perspective of whoever enforces the gate (normally the local member). */
  scores: { score(agentId: string): number };
  thresholds: TrustThresholds;
  sanctuaryTier: SanctuaryTier;
}

export interface Decision {
  allowed: boolean;
  /** i18n key explaining the decision. */
  reason: string;
  /** Set on allowed posts that readers must mark (a need from someone not yet vouched). */
  flag?: 'unvouched';
}

const ok: Decision = { allowed: true, reason: 'trust.allowed' };
const deny = (reason: string): Decision => ({ allowed: false, reason });

function byScore(score: number, min: number, reason: string): Decision {
  return score >= min ? ok : deny(reason);
}

function byTier(tier: Tier, min: Tier): Decision {
  return tierAtLeast(tier, min) ? ok : deny(`trust.denied.needs-${min}`);
}

/**
 * The one gate: may `actor` do `action` (to `target`), as judged from ctx's perspective? Used by the
 * UI to show or hide actions, by readers to show or hide others' records, and by stewards to decide
 * who receives sanctuary and alert keys.
 */
export function can(ctx: TrustContext, actor: string, action: Action, target?: string): Decision {
  const score = ctx.scores.score(actor);
  const t = ctx.thresholds;
  const tier = tierOf(score, t);
  switch (action) {
    case 'view-public':
      return ok;
    case 'view-members':
      return byScore(score, t.view, 'trust.denied.needs-view');
    case 'post-offer':
      return byScore(score, t.post, 'trust.denied.needs-vouched');
    case 'post-need':
      return score >= t.post ? ok : { allowed: true, reason: 'trust.allowed.unvouched-need', flag: 'unvouched' };
    case 'message':
      if (target === actor) return deny('trust.denied.self');
      return byScore(score, t.message, 'trust.denied.needs-message');
    case 'see-alerts':
    case 'raise-alert':
      return byTier(tier, 'trusted');
    case 'see-sanctuary':
    case 'print-sanctuary':
      return byTier(tier, ctx.sanctuaryTier);
    case 'print-noticeboard':
      // Public posts only, but a sheet on a wall speaks for the community: vouched members print it.
      return byScore(score, t.post, 'trust.denied.needs-vouched');
    case 'vouch':
      if (target === actor) return deny('trust.denied.self');
      return byScore(score, t.vouch, 'trust.denied.needs-trusted');
    case 'steward':
      return byTier(tier, 'steward');
    default:
      return deny('trust.denied.unknown-action');
  }
}
