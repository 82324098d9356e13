import type { Prng } from './prng.ts';

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export interface PlanShape {
  islands: number;
  bridges: number;
  /** How long the plan runs, ms. */
  span: number;
  /** Islands on a walking bridge's round; vehicles cover 2.5 times as many. */
  round: number;
  /** Every how many bridges one is a vehicle (faster, longer round). */
  vehicleEvery: number;
}

export const WEEK_PLAN: PlanShape = { islands: 50, bridges: 10, span: 7 * DAY, round: 10, vehicleEvery: 5 };

/** A contact between two nodes (indices: islands 0…islands−1, then bridges) from `from` to `to`, ms. */
export interface PlannedContact {
  a: number;
  b: number;
  from: number;
  to: number;
}

interface Visit {
  bridge: number;
  island: number;
  from: number;
  to: number;
}

/**
 * A week of movement: islands sit on a ring in random order; bridge k walks a round of `round`
 * consecutive ring islands starting at 5k, so neighbouring rounds overlap and every island is on at
 * least two rounds (the network is connected, but only through people moving). A walker stays 1–4 h
 * at an island and travels 1–3 h to the next island of its round (any but the one it leaves); a
 * vehicle covers a round 2.5 times as long, stays 0.5–1.5 h and drives 0.5–2 h. A bridge is in contact with the
 * island's relay while it stays, and with any other bridge staying there at the same time.
 */
export function contactPlan(rng: Prng, shape: PlanShape = WEEK_PLAN): PlannedContact[] {
  const ring = rng.shuffle([...Array(shape.islands).keys()]);
  const stride = Math.max(1, Math.floor(shape.islands / shape.bridges));
  const visits: Visit[] = [];
  for (let k = 0; k < shape.bridges; k++) {
    const vehicle = k % shape.vehicleEvery === 0;
    const len = Math.min(shape.islands, vehicle ? Math.round(2.5 * shape.round) : shape.round);
    const round = Array.from({ length: len }, (_, i) => ring[(k * stride + i) % shape.islands]);
    let island = rng.pick(round);
    let t = rng.uniform(0, 6 * HOUR);
    while (t < shape.span) {
      const stay = vehicle ? rng.uniform(0.5, 1.5) * HOUR : rng.uniform(1, 4) * HOUR;
      visits.push({ bridge: shape.islands + k, island, from: t, to: Math.min(shape.span, t + stay) });
      t += stay + (vehicle ? rng.uniform(0.5, 2) : rng.uniform(1, 3)) * HOUR;
      const next = round.filter((i) => i !== island);
      island = next.length > 0 ? rng.pick(next) : island;
    }
  }
  const contacts: PlannedContact[] = visits.map((v) => ({ a: v.island, b: v.bridge, from: v.from, to: v.to }));
  // Two bridges at the same island at once meet over its mesh.
  const byIsland = new Map<number, Visit[]>();
  for (const v of visits) byIsland.set(v.island, [...(byIsland.get(v.island) ?? []), v]);
  for (const vs of byIsland.values()) {
    for (let i = 0; i < vs.length; i++) {
      for (let j = i + 1; j < vs.length; j++) {
        const from = Math.max(vs[i].from, vs[j].from);
        const to = Math.min(vs[i].to, vs[j].to);
        if (from < to && vs[i].bridge !== vs[j].bridge) contacts.push({ a: vs[i].bridge, b: vs[j].bridge, from, to });
      }
    }
  }
  return contacts.sort((x, y) => x.from - y.from);
}
