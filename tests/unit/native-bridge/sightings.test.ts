// Tables come from recordings: the test machine has no batman-adv kernel module.
import { describe, expect, it } from 'vitest';
import { parseNeighborsJson } from '../../../native-bridge/batctl/neighbors.ts';
import { parseOriginatorsJson } from '../../../native-bridge/batctl/originators.ts';
import { sightingsFrom } from '../../../native-bridge/sightings.ts';
import { recording } from './fixtures.ts';

const tables = (s: string) => [parseOriginatorsJson(recording(s, 'originators_json')), parseNeighborsJson(recording(s, 'neighbors_json'))] as const;

describe('sightings from batctl tables', () => {
  it('Scenario: every fresh originator is a sighting with the TQ of its best route', () => {
    const [o, n] = tables('two-nodes');
    expect(sightingsFrom(o, n, { scope: 'originators', staleAfterMs: 5000 })).toEqual([
      { id: '02:5a:00:00:00:0b', linkQuality: 238 },
      { id: '02:5a:00:00:00:0c', linkQuality: 201 },
    ]);
  });

  it('Scenario: neighbours scope keeps one-hop nodes only', () => {
    const [o, n] = tables('two-nodes');
    expect(sightingsFrom(o, n, { scope: 'neighbors', staleAfterMs: 1000 })).toEqual([{ id: '02:5a:00:00:00:0b', linkQuality: 238 }]);
  });

  it('Scenario: stale originator is not a contact', () => {
    const [o, n] = tables('stale');
    expect(sightingsFrom(o, n, { scope: 'originators', staleAfterMs: 5000 })).toEqual([]);
    expect(sightingsFrom(o, n, { scope: 'neighbors', staleAfterMs: 5000 })).toEqual([]);
  });
});
