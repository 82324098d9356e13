import { buildGraph, type TrustGraph } from './graph.ts';
import { computeScores, DEFAULT_TRUST_PARAMS, type TrustParams, type TrustScores } from './score.ts';
import type { Vouch } from '../model/types.ts';

type Edge = Pick<Vouch, 'from' | 'to' | 'strength'>;

/**
 * Where a phone stands in its community. Scores are personal, but a newcomer's own position reaches
 * nobody, so a phone also looks through its *anchors*: people it chose to trust in person — the member
 * whose invite it used, or the first person it vouched for face to face. The first member of a community
 * is its founder. Anchors live only on the phone; nobody else can set them.
 */
export interface Perspective {
  viewer: string;
  anchors: readonly string[];
  founder: boolean;
}

export interface PerspectiveScores extends TrustScores {
  /** The graph scored, including the viewer's private full-strength edges to their anchors. */
  graph: TrustGraph;
  /**
   * How the community sees me, for gating what I may do: 1 for a founder, otherwise the best score an
   * anchor gives me from their own position (my view of myself is always 1 and proves nothing).
   */
  standing: number;
}

/**
 * An anchor counts as if the viewer had vouched for them at full strength — privately: the edge is never
 * published, it only shapes this phone's view. Everything else (decay, bridge caps, capacity) applies
 * unchanged, so an anchor is trusted like a close friend, not like oneself.
 */
export function perspectiveScores(vouches: readonly Edge[], p: Perspective, params: Readonly<TrustParams> = DEFAULT_TRUST_PARAMS): PerspectiveScores {
  // Deduplicated: the same anchor twice would count as two independent vouches in the noisy-OR.
  const anchors = [...new Set(p.anchors)].filter((a) => a !== p.viewer);
  const published = buildGraph(vouches);
  const graph = anchors.length ? buildGraph([...vouches, ...anchors.map((to) => ({ from: p.viewer, to, strength: 3 as const }))]) : published;
  const scores = computeScores(graph, p.viewer, params);
  const standing = p.founder ? 1 : Math.max(0, ...anchors.map((a) => computeScores(published, a, params).score(p.viewer)));
  return { ...scores, graph, standing };
}

/**
 * The perspective a phone scores with: its own anchors plus the community's signed stewards (organisers)
 * who are members. A newcomer nobody has vouched for yet thus sees the organisers as trusted and the
 * people they vouched for as vouched, and stands where any organiser puts them. The stewards come from the
 * founder-pinned signed settings (read-community.ts), so a member cannot make themselves an anchor.
 */
export function withStewards(p: Perspective, stewards: readonly string[]): Perspective {
  const anchors = [...new Set([...p.anchors, ...stewards])].filter((a) => a !== p.viewer);
  return { ...p, anchors };
}
