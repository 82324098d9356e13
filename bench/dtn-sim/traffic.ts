import { DAY, HOUR } from './contact-plan.ts';
import type { Prng } from './prng.ts';

/** The community every island belongs to: its change-sets go to this group endpoint. */
export const COMMUNITY = 'community-mesh';
export const COMMUNITY_ENDPOINT = `dtn://${COMMUNITY}/~changes`;
export const COMMUNITY_NODE = `dtn://${COMMUNITY}/`;

export function islandName(i: number): string {
  return `island-${i}`;
}

export interface Traffic {
  changeSets: number;
  messages: number;
}

export interface Offered {
  id: string;
  /** island index of the source */
  source: number;
  destination: string;
  /** island indices that count it delivered when it reaches them */
  to: number[];
  createdAt: number;
  lifetime: number;
  size: number;
}

/**
 * What the islands send during the week: change-sets from every island to the community group (each
 * counts once per other island), 0.5–16 kB; and messages from one island to a single other island,
 * 1–4 kB. Arrival times are uniform over the first six days, so every bundle has at least a day to
 * travel; lifetimes are the project's (7 days for both).
 */
export function traffic(rng: Prng, islands: number, t: Traffic, span: number): Offered[] {
  const out: Offered[] = [];
  const others = (i: number) => [...Array(islands).keys()].filter((j) => j !== i);
  const last = Math.max(HOUR, span - DAY);
  for (let n = 0; n < t.changeSets; n++) {
    const source = rng.int(islands);
    out.push({ id: `cs-${n}`, source, destination: COMMUNITY_ENDPOINT, to: others(source), createdAt: rng.uniform(0, last), lifetime: 7 * DAY, size: Math.round(512 * Math.pow(32, rng.next())) });
  }
  for (let n = 0; n < t.messages; n++) {
    const source = rng.int(islands);
    const dest = rng.pick(others(source));
    out.push({ id: `msg-${n}`, source, destination: `dtn://${islandName(dest)}/inbox`, to: [dest], createdAt: rng.uniform(0, last), lifetime: 7 * DAY, size: Math.round(rng.uniform(1024, 4096)) });
  }
  return out.sort((a, b) => a.createdAt - b.createdAt);
}
