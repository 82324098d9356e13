import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../src/core/crypto/keys.ts';
import { askIslands, createQuery, islandAnswers, type DiscoveryQuery } from '../../src/core/discovery/index.ts';
import { dtnStatus, handedOver } from '../helpers/dtn-status.ts';
import type { RelayProcess } from '../helpers/relay-process.ts';
import { relaySuite } from '../helpers/relay-suite.ts';

// openspec/specs/discovery/spec.md — relays as real processes on loopback
const { relay, member, stop } = relaySuite();

/** The bridge node moving to another island: same node, same store, a link to a different relay. */
async function visit(bridge: RelayProcess | undefined, to: RelayProcess, dataDir?: string): Promise<RelayProcess> {
  if (bridge) {
    await stop(bridge);
  }
  const moved = await relay('bridge', ['--peer', `127.0.0.1:${(await dtnStatus(to.url)).tcpclPort}`], bridge?.dataDir ?? dataDir);
  await expect.poll(async () => (await dtnStatus(to.url)).contacts.some((c) => c.peer === 'dtn://bridge/'), { timeout: 20_000 }).toBe(true);
  return moved;
}

async function nodeId(r: RelayProcess): Promise<string> {
  return ((await (await fetch(`${r.url}/api/info`)).json()) as { node: string }).node;
}

async function discoveryStatus(r: RelayProcess): Promise<{ indexed: number; answered: number; asked: number; refused: number }> {
  return ((await (await fetch(`${r.url}/api/status`)).json()) as { discovery: { indexed: number; answered: number; asked: number; refused: number } }).discovery;
}

function ask(r: RelayProcess, q: unknown): Promise<Response> {
  return fetch(`${r.url}/api/discovery/queries`, { method: 'POST', body: typeof q === 'string' ? q : JSON.stringify(q) });
}

interface Answers {
  query: DiscoveryQuery;
  answers: Array<{ island: string; islandName: string; local: boolean; age: number; results: Array<{ title: string; authorName?: string }> }>;
}

describe('discovery across islands', () => {
  it('Scenario: a query posted on B is answered by A after a bridge passes both ways, labelled with A; trusted and local offers never appear', async () => {
    const a = await relay('island-a');
    const ana = await member(a, 'Ana');
    const community = await ana.communityUrl();
    await ana.post([
      { kind: 'offer', category: 'tools', title: 'Ceramic water filter', description: 'gravity filter, spare candles' },
      { kind: 'offer', category: 'tools', title: 'Trusted water filter', description: 'for vouched members', audience: 'trusted' },
      { kind: 'offer', category: 'tools', title: 'Local water filter', description: 'island only', audience: 'local' },
      { kind: 'offer', category: 'tools', title: 'Private water filter', description: '', audience: 'private' },
      { kind: 'offer', category: 'food', title: 'Bread', description: 'sourdough' },
    ]);
    // A indexes only the public ones (Ceramic filter, Bread).
    const b = await relay('island-b', ['--join', community]);
    await expect.poll(async () => (await discoveryStatus(a)).indexed, { timeout: 20_000 }).toBe(2);

    // A phone on B asks through the core client the PWA uses.
    const q = await askIslands(b.url, fetch, { text: 'water filters' }, Date.now(), createIdentity());
    expect(q.origin).toBe(await nodeId(b));
    expect(await islandAnswers(b.url, fetch, q.id)).toEqual([]);
    const read = async () => (await (await fetch(`${b.url}/api/discovery/queries/${q.id}`)).json()) as Answers;

    // The bridge visits B (takes the query), then A (A answers), then B again (brings the answer).
    let bridge = await visit(undefined, b);
    await handedOver(b.url);
    bridge = await visit(bridge, a);
    await expect.poll(async () => (await discoveryStatus(a)).answered, { timeout: 30_000 }).toBe(1);
    await handedOver(a.url);
    bridge = await visit(bridge, b);
    await expect.poll(async () => (await read()).answers.length, { timeout: 30_000 }).toBe(1);

    const [answer] = (await read()).answers;
    expect(answer).toMatchObject({ island: 'dtn://island-a/', islandName: 'island-a', local: false });
    expect(answer.age).toBeGreaterThanOrEqual(0);
    expect(answer.results.map((r) => r.title)).toEqual(['Ceramic water filter']);
    expect(answer.results[0].authorName).toBe('Ana');
    expect(JSON.stringify(await read())).not.toMatch(/Trusted|Local|Private|spare candles/);
  });

  it('Scenario: malformed queries are refused with clear errors and searches are rate-limited', async () => {
    const b = await relay('island-b');
    const origin = await nodeId(b);
    const errorOf = async (res: Response) => [res.status, ((await res.json()) as { code: string }).code];
    const q = createQuery({ text: 'ladder' }, origin, Date.now(), createIdentity());
    expect(await errorOf(await ask(b, '{"type":'))).toEqual([400, 'bad-shape']);
    expect(await errorOf(await ask(b, { ...q, text: 'changed' }))).toEqual([401, 'bad-signature']);
    expect(await errorOf(await ask(b, createQuery({ text: 'ladder' }, 'dtn://elsewhere/', Date.now())))).toEqual([400, 'wrong-origin']);
    const { author: _a, sig: _s, ...anon } = q;
    expect(await errorOf(await ask(b, { ...anon, expires: anon.created + 6 * 3600_000 }))).toEqual([400, 'bad-lifetime']);
    expect(await errorOf(await ask(b, { ...anon, text: 'x'.repeat(300) }))).toEqual([400, 'too-long']);
    expect(await errorOf(await ask(b, 'x'.repeat(10_000)))).toEqual([413, 'too-long']);
    expect(await errorOf(await fetch(`${b.url}/api/discovery/queries/nope`))).toEqual([404, 'not-found']);

    // One member: a burst of 5, then refused.
    const me = createIdentity();
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await ask(b, createQuery({ text: `ladder ${i}` }, origin, Date.now(), me))).status);
    expect(codes).toEqual([202, 202, 202, 202, 202, 429, 429]);
    // Refused queries never became bundles.
    expect((await discoveryStatus(b)).asked).toBe(5);
  });
});
