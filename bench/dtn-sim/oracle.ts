import type { PlannedContact } from './contact-plan.ts';
import type { Offered } from './traffic.ts';

/**
 * The best any router could do on a contact plan: the share of (bundle, island) pairs joined by a
 * time-respecting path (earliest arrival over contacts, transfers instant, stores and links without
 * limits) before the bundle expires or the plan ends. It frames the routers' delivery ratios: the
 * gap to it is what routing and bounded stores lose, the rest is the plan's own sparseness.
 */
export function reachableShare(nodes: number, contacts: readonly PlannedContact[], traffic: readonly Offered[], span: number): number {
  let pairs = 0;
  let reached = 0;
  for (const b of traffic) {
    const arrival = new Array<number>(nodes).fill(Infinity);
    arrival[b.source] = b.createdAt;
    // Contacts overlap in time, so relax until nothing improves; a path has at most `nodes` hops.
    for (let pass = 0; pass < nodes; pass++) {
      let changed = false;
      for (const c of contacts) {
        for (const [x, y] of [
          [c.a, c.b],
          [c.b, c.a],
        ]) {
          if (arrival[x] > c.to) continue;
          const t = Math.max(c.from, arrival[x]);
          if (t < arrival[y]) {
            arrival[y] = t;
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
    const deadline = Math.min(span, b.createdAt + b.lifetime);
    for (const i of b.to) {
      pairs++;
      if (arrival[i] <= deadline) reached++;
    }
  }
  return pairs === 0 ? 0 : reached / pairs;
}
