import { createIdentity, type Identity } from '../../../src/core/crypto/keys.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/core/model/types.ts';
import type { TrustContext } from '../../../src/core/trust/can.ts';

export const NOW = Date.UTC(2026, 10, 25, 22, 0, 0);
export const MIN = 60 * 1000;
export const HOUR = 60 * MIN;

/** A steward, three trusted members, a vouched member and a stranger, scored from one reader's view. */
export function people() {
  const steward = createIdentity();
  const ana = createIdentity();
  const ben = createIdentity();
  const cai = createIdentity();
  const vouched = createIdentity();
  const stranger = createIdentity();
  const table = new Map<string, number>([
    [steward.agentId, 0.95],
    [ana.agentId, 0.8],
    [ben.agentId, 0.75],
    [cai.agentId, 0.72],
    [vouched.agentId, 0.6],
  ]);
  const trust: TrustContext = { scores: { score: (a) => table.get(a) ?? 0 }, thresholds: DEFAULT_THRESHOLDS, sanctuaryTier: 'steward' };
  return { steward, ana, ben, cai, vouched, stranger, trust, table };
}

export type { Identity };
