import type { TrustThresholds } from '../model/types.ts';
import { can, type Action, type SanctuaryTier } from './can.ts';

/** The steps an organiser weighs when changing thresholds, in the order the screen lists them. */
export const PREVIEW_ACTIONS = ['view-members', 'post-offer', 'message', 'vouch', 'see-alerts'] as const satisfies readonly Action[];
export type PreviewAction = (typeof PREVIEW_ACTIONS)[number];

export interface PreviewChange {
  agentId: string;
  gains: PreviewAction[];
  loses: PreviewAction[];
}

/**
 * Who gains or loses which step if the community's thresholds go from `before` to `after`, judged on the
 * scores the organiser's phone sees (the same gate, can(), every phone applies). Only people with a change
 * are listed, in the order given. Pure; bounded by people × PREVIEW_ACTIONS.
 */
export function thresholdPreview(
  people: readonly { agentId: string; score: number }[],
  before: TrustThresholds,
  after: TrustThresholds,
  sanctuaryTier: SanctuaryTier = 'steward',
): PreviewChange[] {
  const out: PreviewChange[] = [];
  for (const p of people) {
    const scores = { score: () => p.score };
    const was = { scores, thresholds: before, sanctuaryTier };
    const will = { scores, thresholds: after, sanctuaryTier };
    const gains: PreviewAction[] = [];
    const loses: PreviewAction[] = [];
    for (const a of PREVIEW_ACTIONS) {
      const x = can(was, p.agentId, a).allowed;
      const y = can(will, p.agentId, a).allowed;
      if (!x && y) gains.push(a);
      if (x && !y) loses.push(a);
    }
    if (gains.length || loses.length) out.push({ agentId: p.agentId, gains, loses });
  }
  return out;
}
