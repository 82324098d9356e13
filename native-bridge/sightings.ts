import type { NeighborEntry, OriginatorEntry } from './batctl/types.ts';
import type { Sighting } from './hysteresis.ts';

export type MeshScope = 'neighbors' | 'originators';

export interface SightingOptions {
  /**
   * batman-adv keeps a silent originator in its tables for up to 200 s (purge timeout); only rows
   * whose last-seen is below this count as present, or a departed node would stay "up" for minutes.
   */
  staleAfterMs: number;
  /** 'originators' = every node reachable through the mesh (bat0 is one L2 segment); 'neighbors' = one hop only. */
  scope: MeshScope;
}

export const DEFAULT_SIGHTING_OPTIONS: SightingOptions = { staleAfterMs: 5000, scope: 'originators' };

/**
 * Turns batctl tables into one sighting per fresh node MAC. Originator addresses are what beacons
 * carry, so 'originators' scope maps cleanly; 'neighbors' scope takes TQ from the originator row of
 * the same MAC when there is one.
 */
export function sightingsFrom(
  originators: OriginatorEntry[],
  neighbors: NeighborEntry[],
  opts: SightingOptions = DEFAULT_SIGHTING_OPTIONS,
): Sighting[] {
  const bestTq = new Map<string, number | undefined>();
  for (const o of originators) {
    if (o.best && o.lastSeenMs <= opts.staleAfterMs) bestTq.set(o.mac, o.tq);
  }
  if (opts.scope === 'originators') return [...bestTq].map(([id, linkQuality]) => ({ id, linkQuality }));
  const seen = new Map<string, Sighting>();
  for (const n of neighbors) {
    if (n.lastSeenMs <= opts.staleAfterMs) seen.set(n.mac, { id: n.mac, linkQuality: bestTq.get(n.mac) });
  }
  return [...seen.values()];
}
