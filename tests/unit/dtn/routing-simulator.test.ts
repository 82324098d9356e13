import { describe, expect, it } from 'vitest';
import { ROUTERS } from '../../../bench/dtn-routing.ts';
import { contactPlan, DAY } from '../../../bench/dtn-sim/contact-plan.ts';
import { reachableShare } from '../../../bench/dtn-sim/oracle.ts';
import { Prng } from '../../../bench/dtn-sim/prng.ts';
import { Simulator, type SimConfig } from '../../../bench/dtn-sim/simulator.ts';
import { traffic } from '../../../bench/dtn-sim/traffic.ts';

// openspec/changes/dtn-sim — the routing simulator behind bench/dtn-routing.ts, checked on a small plan.

function small(seed: number, budget: number): SimConfig {
  const rng = new Prng(seed);
  const shape = { islands: 10, bridges: 3, span: 2 * DAY, round: 5, vehicleEvery: 3 };
  const contacts = contactPlan(rng, shape);
  const offered = traffic(rng, shape.islands, { changeSets: 30, messages: 15 }, shape.span);
  return { islands: shape.islands, bridges: shape.bridges, span: shape.span, contacts, traffic: offered, islandBudget: budget, bridgeBudget: budget, bytesPerMs: 250, transferMs: 20 };
}

describe('routing simulator', () => {
  it('Scenario: no router delivers more than the contact plan can reach, and epidemic routing with room for everything delivers all of it', () => {
    for (const seed of [1, 2]) {
      const roomy = small(seed, 1e9);
      const reachable = reachableShare(roomy.islands + roomy.bridges, roomy.contacts, roomy.traffic, roomy.span);
      expect(reachable).toBeGreaterThan(0);
      for (const [name, factory] of Object.entries(ROUTERS)) {
        for (const cfg of [roomy, small(seed, 40_000)]) {
          const r = new Simulator(cfg, factory).run();
          expect(r.delivered / r.pairs, `${name} seed ${seed}`).toBeLessThanOrEqual(reachable);
          if (name === 'epidemic' && cfg === roomy) expect(r.delivered / r.pairs).toBeGreaterThanOrEqual(reachable - 0.01);
          expect(r.peakStoreShare).toBeLessThanOrEqual(1);
        }
      }
    }
  });
});
