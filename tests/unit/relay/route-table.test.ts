import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pino } from 'pino';
import { Route, type RouteName } from '../../../src/core/protocol/routes.ts';
import { closeServices, startServices } from '../../../relay/lifecycle.ts';
import { RouteTable } from '../../../relay/route-table.ts';
import type { HttpHandler, RelayService, RouteHandlers } from '../../../relay/service.ts';

// openspec/changes/relay-services/specs/relay-services/spec.md
const silent = pino({ level: 'silent' });
const noop: HttpHandler = () => undefined;

function service(name: string, routes: Partial<Record<RouteName, RouteHandlers>> = {}, log: string[] = [], failStart = false): RelayService {
  return {
    name,
    routes,
    async start() {
      log.push(`start ${name}`);
      if (failStart) throw new Error('port in use');
    },
    async close() {
      log.push(`close ${name}`);
    },
  };
}

describe('route table', () => {
  const chunks: HttpHandler = () => undefined;
  const table = new RouteTable([
    service('info', { info: { at: { GET: noop, HEAD: noop } } }),
    service('library', { library: { at: { GET: noop } }, libraryChunks: { under: { GET: chunks, PUT: chunks, POST: chunks } } }),
    service('inbox', { inbox: { at: { POST: noop }, under: { GET: noop } } }),
  ]);

  it('Scenario: each route is answered by the one service that claims it, by method', () => {
    expect(table.resolve('GET', Route.info)).toMatchObject({ kind: 'handler', service: 'info', route: 'info' });
    expect(table.resolve('HEAD', Route.info)).toMatchObject({ kind: 'handler', service: 'info' });
    expect(table.resolve('PUT', `${Route.libraryChunks}/abc`)).toMatchObject({ kind: 'handler', service: 'library', route: 'libraryChunks', tail: 'abc', handler: chunks });
    expect(table.resolve('GET', `${Route.inbox}/agent`)).toMatchObject({ kind: 'handler', service: 'inbox', tail: 'agent' });
    // Not a route and not under one: left to the static files (a 404 there).
    for (const p of ['/', '/index.html', '/api/infos', '/api/library/elsewhere', Route.libraryChunks, '/api/nothing']) expect(table.resolve('GET', p), p).toEqual({ kind: 'none' });
  });

  it('Scenario: a wrong method on a served route gets 405 naming the methods that route answers', () => {
    expect(table.resolve('DELETE', Route.info)).toEqual({ kind: 'method', allow: 'GET, HEAD' });
    expect(table.resolve('PUT', Route.inbox)).toEqual({ kind: 'method', allow: 'POST' });
    expect(table.resolve('POST', `${Route.inbox}/x`)).toEqual({ kind: 'method', allow: 'GET' });
    expect(table.resolve('DELETE', `${Route.libraryChunks}/x`)).toEqual({ kind: 'method', allow: 'GET, PUT, POST' });
    // A method name is looked up among the route's own methods only, never on Object.prototype.
    for (const m of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(table.resolve(m, Route.info).kind, m).toBe('method');
  });

  it('Scenario: two services claiming one route are refused when the relay is put together', () => {
    expect(() => new RouteTable([service('a', { alerts: { at: { GET: noop } } }), service('b', { alerts: { at: { POST: noop } } })])).toThrow(/alerts .* both the a and the b service/);
  });

  it('Scenario: an id under a route reaches its handler whole, whatever its characters', () => {
    fc.assert(
      fc.property(fc.constantFrom<RouteName>('inbox', 'libraryChunks'), fc.string({ minLength: 1, maxLength: 80 }), (route, id) => {
        const r = table.resolve('GET', `${Route[route]}/${encodeURIComponent(id)}`);
        expect(r).toMatchObject({ kind: 'handler', route, tail: id });
      }),
    );
  });
});

describe('service lifecycle', () => {
  it('Scenario: services start in registry order and close in reverse', async () => {
    const log: string[] = [];
    const services = ['replica', 'dtn', 'inbox'].map((n) => service(n, {}, log));
    await startServices(services, silent);
    await closeServices(services, silent);
    expect(log).toEqual(['start replica', 'start dtn', 'start inbox', 'close inbox', 'close dtn', 'close replica']);
  });

  it('Scenario: a service that fails to start closes those begun before it and names itself', async () => {
    const log: string[] = [];
    const services = [service('replica', {}, log), service('dtn', {}, log, true), service('inbox', {}, log)];
    await expect(startServices(services, silent)).rejects.toThrow(/dtn service failed to start: port in use/);
    expect(log).toEqual(['start replica', 'start dtn', 'close dtn', 'close replica']);
  });

  it('Scenario: one service failing to close does not keep the others open', async () => {
    const log: string[] = [];
    const stuck: RelayService = { ...service('dtn', {}, log), close: () => Promise.reject(new Error('disk gone')) };
    await expect(closeServices([service('replica', {}, log), stuck, service('inbox', {}, log)], silent)).rejects.toThrow(/dtn: Error: disk gone/);
    expect(log).toEqual(['close inbox', 'close replica']);
  });
});
