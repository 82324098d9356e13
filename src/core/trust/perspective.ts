import type { TrustGraph } from './graph.ts';
import { computeScores, DEFAULT_TRUST_PARAMS, type ScoreDetail, type TrustParams, type TrustScores } from './score.ts';

/**
 * Where a phone stands in its community. Scores are personal, but a newcomer's own position reaches
 * nobody, so a phone also looks through its *anchors*: people it chose to trust in person — the member
 * whose invite it used, or the first person it vouched for face to face. The first member of a community
 * is its founder and anchors itself. Anchors live only on the phone; nobody else can set them.
 */
export interface Perspective {
  viewer: string;
  anchors: readonly string[];
  founder: boolean;
}

export interface PerspectiveScores extends TrustScores {
  /** Whose own scores gave `target` its value: the viewer or one of the anchors. */
  rootOf(target: string): string;
  /** The scores of each root (viewer first), for explaining chains. */
  roots: readonly TrustScores[];
  /**
   * How the community sees me, for gating what I may do: 1 for a founder, otherwise the best score my
   * anchors give me (my own view of myself is always 1 and proves nothing).
   */
  standing: number;
}

/**
 * The best score any root gives each member. An anchor's view counts as the viewer's own: the viewer
 * met that person and chose to see the community through them.
 */
export function perspectiveScores(g: TrustGraph, p: Perspective, params: Readonly<TrustParams> = DEFAULT_TRUST_PARAMS): PerspectiveScores {
  const rootIds = [p.viewer, ...p.anchors.filter((a) => a !== p.viewer)];
  const roots = rootIds.map((r) => computeScores(g, r, params));
  const best = new Map<string, number>();
  const from = new Map<string, number>();
  roots.forEach((s, i) => {
    for (const [id, v] of s.scores) {
      if (v > (best.get(id) ?? 0)) {
        best.set(id, v);
        from.set(id, i);
      }
    }
  });
  const own = roots[0];
  const rootIndex = (id: string) => from.get(id) ?? 0;
  return {
    viewer: p.viewer,
    params,
    scores: best,
    roots,
    score: (id) => best.get(id) ?? 0,
    detail: (id): ScoreDetail => roots[rootIndex(id)].detail(id) ?? own.detail(id),
    rootOf: (id) => rootIds[rootIndex(id)],
    standing: p.founder ? 1 : Math.max(0, ...roots.slice(1).map((s) => s.score(p.viewer))),
  };
}
