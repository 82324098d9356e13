import { canonicalJson } from '../core/crypto/canonical.ts';
import { verifyRecord } from '../core/crypto/sign.ts';
import type { FeedDoc, TrustThresholds, Vouch } from '../core/model/types.ts';
import {
  ACTIONS,
  can,
  collectVouches,
  expiringSoon,
  explainTrust,
  perspectiveScores,
  tierOf,
  type Action,
  type Decision,
  type Explanation,
  type Perspective,
  type PerspectiveScores,
  type SanctuaryTier,
  type Tier,
} from '../core/trust/index.ts';

export interface PersonTrust {
  agentId: string;
  score: number;
  tier: Tier;
}

/** What the screens need from the trust graph, recomputed whenever a feed or the perspective changes. */
export interface TrustView {
  standing: number;
  tier: Tier;
  founder: boolean;
  anchors: string[];
  /** My own gates: what I may do now, and why not. */
  gates: Record<Action, Decision>;
  /** Everyone I have any trust in (from my perspective), best first. */
  people: PersonTrust[];
  /** Authors whose posts I read as vouched (score ≥ the post threshold). */
  vouched: string[];
  /** The community's thresholds these gates were judged with (shown under Details). */
  thresholds: TrustThresholds;
  /** Who vouched for me (valid, unrevoked), so the People page can say so in words. */
  vouchedForMe: string[];
  /** My valid vouches (to revoke, and for reminders). */
  mine: Vouch[];
  expiring: Vouch[];
  /** Vouches and revocations ignored, with reasons, for diagnostics. */
  rejected: number;
}

const REMIND_WITHIN = 14 * 24 * 3600_000;

/**
 * Holds the latest feed of every member and turns them into scores. Signatures are checked once per
 * record (tweetnacl takes milliseconds each), keyed by signature and compared on the full text.
 */
export class TrustBook {
  private feeds = new Map<string, FeedDoc>();
  private checked = new Map<string, string>();
  private scores?: PerspectiveScores;
  /** Every valid vouch, from the last computation (agents read them). */
  vouches: Vouch[] = [];

  setFeed(agentId: string, doc: FeedDoc): void {
    this.feeds.set(agentId, doc);
  }

  /** A member removed by the organisers: their vouches and revocations count no more. */
  dropFeed(agentId: string): void {
    this.feeds.delete(agentId);
  }

  private verify = (rec: object): boolean => {
    const sig = (rec as { sig?: unknown }).sig;
    if (typeof sig !== 'string') return false;
    let text: string;
    try {
      text = canonicalJson(rec);
    } catch {
      return false;
    }
    if (this.checked.get(sig) === text) return true;
    const ok = verifyRecord(rec as Parameters<typeof verifyRecord>[0]);
    if (ok) this.checked.set(sig, text);
    return ok;
  };

  compute(p: Perspective, thresholds: TrustThresholds, sanctuaryTier: SanctuaryTier, now: number): TrustView {
    const collected = collectVouches([...this.feeds.values()], now, this.verify);
    this.vouches = collected.valid;
    const scores = (this.scores = perspectiveScores(collected.valid, p));
    // My gates are judged by how the community sees me (my standing), not by my view of myself.
    const self = { scores: { score: () => scores.standing }, thresholds, sanctuaryTier };
    const gates = Object.fromEntries(ACTIONS.map((a) => [a, can(self, p.viewer, a)])) as Record<Action, Decision>;
    const people = [...scores.scores]
      .filter(([id]) => id !== p.viewer)
      .map(([agentId, score]) => ({ agentId, score, tier: tierOf(score, thresholds) }))
      .sort((a, b) => b.score - a.score || (a.agentId < b.agentId ? -1 : 1));
    const mine = collected.valid.filter((v) => v.from === p.viewer);
    return {
      standing: scores.standing,
      tier: tierOf(scores.standing, thresholds),
      founder: p.founder,
      anchors: [...p.anchors],
      gates,
      people,
      vouched: people.filter((x) => x.score >= thresholds.post).map((x) => x.agentId),
      thresholds: { ...thresholds },
      vouchedForMe: [...new Set(collected.valid.filter((v) => v.to === p.viewer).map((v) => v.from))].sort(),
      mine,
      expiring: expiringSoon(mine, p.viewer, now, REMIND_WITHIN),
      rejected: collected.rejected.filter((r) => r.reason !== 'revoked').length,
    };
  }

  /** The strongest vouch chains from me to `target` (the first hop may be my private anchor edge). */
  explain(target: string): Explanation | undefined {
    return this.scores ? explainTrust(this.scores.graph, this.scores, target) : undefined;
  }
}
