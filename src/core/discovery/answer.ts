import type { PublicIndex } from './public-index.ts';
import { toResult } from './public-index.ts';
import type { DiscoveryAnswer, DiscoveryQuery } from './types.ts';

/** This island's answer to a query, or undefined when it has nothing to say. */
export function answerQuery(index: PublicIndex, q: DiscoveryQuery, island: { id: string; name: string }, now: number): DiscoveryAnswer | undefined {
  const found = index.search({ text: q.text, category: q.category, area: q.area, kind: q.kind }, now);
  const results = found.filter((r) => r.audience === 'public').map(toResult);
  if (results.length === 0) return undefined;
  return { type: 'discovery-answer', query: q.id, island: island.id, islandName: island.name.slice(0, 100), results, created: now };
}
