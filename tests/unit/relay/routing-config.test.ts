import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../relay/config.ts';
import { singletonNodeOf } from '../../../relay/dtn/routing/endpoint-node.ts';
import { PeerHistory } from '../../../relay/dtn/routing/peer-history.ts';
import { parseRoute, StaticRoutes } from '../../../relay/dtn/routing/static-routes.ts';

// openspec/changes/dtn-routing — static routes, per-peer schemes in the options, the bounded push history.
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('routing options', () => {
  it('Scenario: static routes and per-peer schemes are read from the command line and the config file', async () => {
    const cfg = parseConfig(['--route', 'dtn://far/*=dtn://gateway/', '--routing-for', 'ipn:977.0=push', '--summary-wait-ms', '500']);
    expect(cfg.route).toEqual([{ pattern: 'dtn://far/*', via: 'dtn://gateway/' }]);
    expect(cfg.routingFor).toEqual([['ipn:977.0', 'push']]);
    expect(cfg.summaryWaitMs).toBe(500);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spm-routes-'));
    dirs.push(dir);
    const file = path.join(dir, 'relay.json');
    await writeFile(file, JSON.stringify({ route: { 'ipn:977.*': 'ipn:977.0', 'dtn://far/*': 'dtn://gateway/' }, routingFor: ['dtn://old/=summary'] }));
    const fromFile = parseConfig(['--config', file, '--route', 'dtn://x/y=dtn://z/']);
    expect(fromFile.route.map((r) => r.pattern)).toEqual(['ipn:977.*', 'dtn://far/*', 'dtn://x/y']);
    expect(fromFile.routingFor).toEqual([['dtn://old/', 'summary']]);
  });

  it('Scenario: --route names the router for other relays, epidemic unless it says spray or prophet', async () => {
    expect(parseConfig([]).router).toBe('epidemic');
    const cfg = parseConfig(['--route', 'spray', '--route', 'dtn://far/*=dtn://gateway/', '--routing-for', 'dtn://b/=prophet']);
    expect(cfg.router).toBe('spray');
    expect(cfg.route).toEqual([{ pattern: 'dtn://far/*', via: 'dtn://gateway/' }]);
    expect(cfg.routingFor).toEqual([['dtn://b/', 'prophet']]);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spm-routes-'));
    dirs.push(dir);
    const file = path.join(dir, 'relay.json');
    await writeFile(file, JSON.stringify({ route: 'prophet' }));
    expect(parseConfig(['--config', file]).router).toBe('prophet');
    expect(() => parseConfig(['--route', 'spray', '--route', 'prophet'])).toThrow(/more than one router/);
    // Spray and PRoPHET need the peer's announce: a standard (ipn:) neighbour never sends one.
    expect(() => parseConfig(['--routing-for', 'ipn:977.0=spray'])).toThrow(/needs a dtn:\/\/ peer/);
  });

  it('Scenario: a bad route or scheme is refused with the reason', () => {
    expect(() => parseConfig(['--route', 'dtn://far/*'])).toThrow(/pattern>=<peer node id>/);
    expect(() => parseConfig(['--route', 'dtn://far/*=dtn://gateway/inbox'])).toThrow(/not a node ID/);
    expect(() => parseConfig(['--route', 'http://x=dtn://g/'])).toThrow(/dtn: or ipn:/);
    expect(() => parseConfig(['--routing-for', 'ipn:977.0=flood'])).toThrow(/one of summary, push, direct/);
    expect(() => parseConfig(['--routing-for', 'nobody=push'])).toThrow(/peer node id/);
  });

  it('Scenario: a static route matches its pattern, the first matching route wins', () => {
    const routes = new StaticRoutes([parseRoute('dtn://far/inbox=dtn://a/'), parseRoute('dtn://far/*=dtn://b/'), parseRoute('ipn:9.*=ipn:9.0')]);
    expect(routes.via('dtn://far/inbox')).toBe('dtn://a/');
    expect(routes.via('dtn://far/other')).toBe('dtn://b/');
    expect(routes.via('dtn://farther/x')).toBeUndefined();
    expect(routes.via('ipn:9.12')).toBe('ipn:9.0');
    expect(routes.via('ipn:91.1')).toBeUndefined();
    // Regex characters in a pattern are literal.
    expect(new StaticRoutes([parseRoute('dtn://a.b/(x)=dtn://g/')]).via('dtn://aXb/(x)')).toBeUndefined();
  });
});

describe('endpoint nodes', () => {
  it('Scenario: the node of a singleton endpoint is its node ID; a group endpoint names no node', () => {
    expect(singletonNodeOf('dtn://x/inbox')).toBe('dtn://x/');
    expect(singletonNodeOf('ipn:977.3')).toBe('ipn:977.0');
    for (const none of ['dtn://community/~changes', 'dtn://~community/changes', 'dtn:none', 'nonsense']) expect(singletonNodeOf(none)).toBeUndefined();
  });
});

describe('per-peer push history', () => {
  it('Scenario: the push history stays within its bound however many peers and bundles it sees', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 60 }), fc.boolean()), { maxLength: 400 }), (ops) => {
        const h = new PeerHistory(50, 5);
        const model = new Map<string, Set<string>>();
        for (const [p, i, add] of ops) {
          const peer = `dtn://p${p}/`;
          const id = `b${i}`;
          if (add) h.add(peer, id);
          else h.delete(peer, id);
          expect(h.size.ids).toBeLessThanOrEqual(50);
          expect(h.size.peers).toBeLessThanOrEqual(5);
          // What was just added is always remembered (what goes first is the oldest elsewhere).
          if (add) expect(h.has(peer, id)).toBe(true);
          if (!model.has(peer)) model.set(peer, new Set());
        }
        let counted = 0;
        for (const peer of model.keys()) counted += [...Array(61).keys()].filter((i) => h.has(peer, `b${i}`)).length;
        expect(counted).toBe(h.size.ids);
      }),
    );
  });

  it('Scenario: a peer is remembered across contacts until it is the least recently seen', () => {
    const h = new PeerHistory(100, 2);
    h.add('dtn://a/', 'x');
    h.add('dtn://b/', 'y');
    h.of('dtn://a/'); // a seen again
    h.add('dtn://c/', 'z'); // b is the least recently seen: forgotten
    expect(h.has('dtn://a/', 'x')).toBe(true);
    expect(h.has('dtn://b/', 'y')).toBe(false);
    expect(h.has('dtn://c/', 'z')).toBe(true);
  });
});
