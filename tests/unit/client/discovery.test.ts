import { describe, expect, it } from 'vitest';
import { Discovery } from '../../../src/client/discovery.ts';
import { memoryStore } from '../../../src/client/memory-store.ts';
import { PhoneVault } from '../../../src/client/vault.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { memoryRelay } from './memory-relay.ts';

const me = createIdentity();

async function phone(relay = memoryRelay()) {
  const local = memoryStore();
  const vault = new PhoneVault(local);
  await vault.create(null, null);
  const secrets = { get: <T>(k: string) => vault.get<T>(k), put: (k: string, v: unknown) => vault.put(k, v) };
  const make = () => new Discovery({ base: 'http://relay.invalid', fetch: relay.fetch }, secrets, () => me);
  return { relay, local, make, d: make() };
}

describe('client: searching other islands, in Node', () => {
  it('Scenario: a search is handed to the relay and kept in my recent searches, sealed, across a restart', async () => {
    const { relay, local, make, d } = await phone();
    const id = await d.search({ text: 'water filter', kind: 'offer' });
    expect(relay.queries.has(id)).toBe(true);
    expect(d.state.state.searches.map((s) => s.text)).toEqual(['water filter']);
    expect(await d.answers(id)).toEqual([]); // no other island has answered yet
    const stored = JSON.stringify(await Promise.all((await local.settings.keys()).map((k) => local.settings.get(k))));
    expect(stored).not.toContain('water filter');
    const again = make();
    await again.load();
    expect(again.state.state.searches.map((s) => s.id)).toEqual([id]);
  });

  it('Scenario: a refused, malformed or unreachable search says why and keeps nothing', async () => {
    const { relay, d } = await phone();
    await expect(d.search({ text: 'x'.repeat(5000) })).rejects.toThrow(/^search\./);
    relay.queryStatus = 429;
    await expect(d.search({ text: 'seeds' })).rejects.toThrow('search.rate-limited');
    relay.down = true;
    await expect(d.search({ text: 'seeds' })).rejects.toThrow('error.relayUnreachable');
    expect(d.state.state.searches).toEqual([]);
    expect(await d.answers('nothing')).toEqual([]);
  });
});
