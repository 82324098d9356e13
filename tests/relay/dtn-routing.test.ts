// Routing to neighbours that are not our relays (issue #19): a standard BPv7 node that speaks no summary
// vectors, ipn: node IDs, static routes, per-peer history. Each neighbour is a hand-written raw TCPCLv4
// peer (tests/helpers/standard-neighbour.ts) against a real relay process on loopback. PRoPHET and the
// operator commands are in dtn-routing-operator.test.ts.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { communityOfChanges } from '../../src/core/protocol/endpoints.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { operatorJson } from '../helpers/operator-cli.ts';
import { StandardNeighbour } from '../helpers/standard-neighbour.ts';
import { standardNeighbourSuite } from '../helpers/standard-neighbour-suite.ts';

const { suite, neighbours, closers, changeSets, dial, drained, schemeOf, tempFile } = standardNeighbourSuite();

describe('routing to standard BPv7 neighbours', () => {
  it('Scenario: a standard BPv7 neighbour without summaries receives change-sets', async () => {
    const r = await suite.relay('island');
    const held = await changeSets(r);
    const n = await dial(r, 'dtn://standard/');
    await n.until((x) => held.every((id) => x.ids().includes(id)));
    await expect.poll(() => schemeOf(r, 'dtn://standard/')).toBe('push');
    // A member's post made while the neighbour is in contact reaches it too.
    const before = n.carried.length;
    const ana = await suite.member(r, 'Ana');
    await ana.post([{ kind: 'need', category: 'food', title: 'Rice', description: 'for the shelter' }]);
    await n.until((x) => x.carried.length > before);
    expect(n.carried.every((b) => communityOfChanges(b.primary.destination) !== undefined)).toBe(true);
  });

  it('Scenario: a relay dialling a standard BPv7 neighbour with --peer sends it change-sets', async () => {
    const l = await StandardNeighbour.listen('dtn://standard/');
    closers.push(l.close);
    const r = await suite.relay('island', ['--peer', `127.0.0.1:${l.port}`]);
    const n = await l.neighbour;
    neighbours.push(n);
    const held = await changeSets(r);
    await n.until((x) => held.every((id) => x.ids().includes(id)));
    expect(await schemeOf(r, 'dtn://standard/')).toBe('push');
  });

  it('Scenario: an ipn: neighbour routed direct receives the bundles for its node and nothing else', async () => {
    const r = await suite.relay('island', ['--routing-for', 'ipn:977.0=direct']);
    await changeSets(r);
    const n = await dial(r, 'ipn:977.0');
    await expect.poll(() => schemeOf(r, 'ipn:977.0')).toBe('direct');
    const file = await tempFile(new TextEncoder().encode('water point moved to the school'));
    const sent = await operatorJson<{ id: string }>(r, ['send', '--to', 'ipn:977.1', file]);
    await n.until((x) => x.ids().includes(sent.id));
    await drained(r, 'ipn:977.0');
    expect(n.carried.map((b) => b.primary.destination)).toEqual(['ipn:977.1']);
    expect(new TextDecoder().decode(n.carried[0].payload.data)).toBe('water point moved to the school');
  });

  it('Scenario: an ipn: neighbour that speaks no summary is sent everything by push, bundles for its node included', async () => {
    const r = await suite.relay('island');
    const held = await changeSets(r);
    const n = await dial(r, 'ipn:977.0');
    const file = await tempFile(new Uint8Array([1, 2, 3]));
    const sent = await operatorJson<{ id: string }>(r, ['send', '--to', 'ipn:977.5', file]);
    await n.until((x) => [...held, sent.id].every((id) => x.ids().includes(id)));
    expect(await schemeOf(r, 'ipn:977.0')).toBe('push');
  });

  it('Scenario: a neighbour with an empty Node ID is sent change-sets by push', async () => {
    const r = await suite.relay('island');
    const held = await changeSets(r);
    const n = await dial(r, '');
    await n.until((x) => held.every((id) => x.ids().includes(id)));
    expect(await schemeOf(r, '')).toBe('push');
  });

  it('Scenario: a static route sends bundles for a destination to the configured peer only', async () => {
    const r = await suite.relay('island', ['--route', 'dtn://far/*=dtn://gateway/']);
    const held = await changeSets(r);
    const gateway = await dial(r, 'dtn://gateway/');
    const other = await dial(r, 'dtn://other/');
    const file = await tempFile(new TextEncoder().encode('for the far island'));
    const sent = await operatorJson<{ id: string }>(r, ['send', '--to', 'dtn://far/inbox', file]);
    await gateway.until((x) => x.ids().includes(sent.id));
    // The other neighbour gets everything else, and the relay has nothing more for it.
    await other.until((x) => held.every((id) => x.ids().includes(id)));
    await drained(r, 'dtn://other/');
    expect(other.ids()).not.toContain(sent.id);
  });

  it('Scenario: per-peer history means no bundle is sent to a neighbour twice, across contacts', async () => {
    const first0 = await suite.relay('island');
    const held = await changeSets(first0);
    const first = await dial(first0, 'dtn://standard/');
    await first.until((x) => held.every((id) => x.ids().includes(id)));
    await drained(first0, 'dtn://standard/');
    first.close();
    await expect.poll(async () => (await dtnStatus(first0.url)).contacts.some((c) => c.peer === 'dtn://standard/')).toBe(false);
    // The relay restarts on the same disk: what it pushed before is in its data dir, not only in memory.
    await suite.stop(first0);
    closers.push(() => rm(first0.dataDir, { recursive: true, force: true }));
    const r = await suite.relay('island', [], first0.dataDir);

    const again = await dial(r, 'dtn://standard/');
    const file = await tempFile(new TextEncoder().encode('new since last time'));
    const sent = await operatorJson<{ id: string }>(r, ['send', '--to', 'dtn://elsewhere/notes', file]);
    await again.until((x) => x.ids().includes(sent.id));
    await drained(r, 'dtn://standard/');
    // Only what is new since the first contact: nothing it was handed before comes again.
    expect(again.ids()).toEqual([sent.id]);
    const all = [...first.ids(), ...again.ids()];
    expect(new Set(all).size).toBe(all.length);
  });

  it('Scenario: a neighbour that sends a summary vector is routed by summaries', async () => {
    const a = await suite.relay('a');
    const b = await suite.relay('b', ['--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`]);
    await expect.poll(() => schemeOf(b, 'dtn://a/'), { timeout: 30_000 }).toBe('summary');
    await expect.poll(() => schemeOf(a, 'dtn://b/'), { timeout: 30_000 }).toBe('summary');
  });

  it('Scenario: two relays routing by spray-and-wait exchange bundles, and recv waits for one to arrive', async () => {
    const a = await suite.relay('a', ['--route', 'spray']);
    const b = await suite.relay('b', ['--route', 'spray', '--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`]);
    await expect.poll(() => schemeOf(b, 'dtn://a/'), { timeout: 15_000 }).toBe('spray');
    await expect.poll(() => schemeOf(a, 'dtn://b/'), { timeout: 15_000 }).toBe('spray');
    expect((await dtnStatus(a.url)).routing).toMatchObject({ default: 'spray' });
    const out = await mkdtemp(path.join(os.tmpdir(), 'spm-recv-'));
    closers.push(() => rm(out, { recursive: true, force: true }));
    // Asked before the bundle exists: recv waits for it rather than answer "none".
    const waiting = operatorJson<Array<{ file: string; bytes: number }>>(b, ['recv', '--endpoint', 'dtn://b/files', '--out', out, '--wait', '15000']);
    const text = 'shelter list for island b';
    await operatorJson<{ id: string }>(a, ['send', '--to', 'dtn://b/files', await tempFile(new TextEncoder().encode(text))]);
    const saved = await waiting;
    expect(saved.map((x) => x.bytes)).toEqual([text.length]);
    expect(await readFile(saved[0].file, 'utf8')).toBe(text);
    // The other way, b's own change-sets (its community's founding) reach a's store.
    await expect.poll(async () => ((s) => s.count - s.local.count)((await dtnStatus(a.url)).store), { timeout: 10_000 }).toBeGreaterThan(0);
  });
});
