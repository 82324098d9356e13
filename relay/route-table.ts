import { Route, tailOf, type RouteName } from '../src/core/protocol/routes.ts';
import { methodNotAllowed, sendJson } from './http-util.ts';
import type { Logger } from './log.ts';
import { Refusal } from './refusal.ts';
import type { Exchange, HttpHandler, Methods, RelayService, RouteHandlers, UpgradeHandler } from './service.ts';

interface Entry {
  route: RouteName;
  path: string;
  service: string;
  handlers: RouteHandlers;
}

export type Resolved =
  | { kind: 'handler'; handler: HttpHandler; tail: string; route: RouteName; service: string }
  /** The path is served, not with this method: answer 405 naming `allow`. */
  | { kind: 'method'; allow: string }
  /** No service serves the path: the static files may. */
  | { kind: 'none' };

/**
 * Which service answers which request, built from the services' `routes` and the protocol's route
 * table: a path is served when it is a route's own path (`at`) or lies under one (`under`, longest
 * route first). Two services claiming one route is a wiring mistake and refused at start.
 */
export class RouteTable {
  private readonly byPath = new Map<string, Entry>();
  /** Routes with `under` handlers, longest path first, so `/api/library/chunks/x` is not taken by a shorter route. */
  private readonly prefixes: Entry[];
  /** Requests being answered: close() waits for them, so none writes after the services closed. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(services: readonly RelayService[]) {
    for (const s of services) {
      for (const [route, handlers] of Object.entries(s.routes ?? {}) as Array<[RouteName, RouteHandlers]>) {
        const path = Route[route];
        const taken = this.byPath.get(path);
        if (taken) throw new Error(`route ${route} (${path}) is claimed by both the ${taken.service} and the ${s.name} service`);
        this.byPath.set(path, { route, path, service: s.name, handlers });
      }
    }
    this.prefixes = [...this.byPath.values()].filter((e) => e.handlers.under).sort((a, b) => b.path.length - a.path.length);
  }

  resolve(method: string, path: string): Resolved {
    let entry = this.byPath.get(path);
    let methods: Methods | undefined = entry?.handlers.at;
    let tail = '';
    if (!methods) {
      entry = undefined;
      for (const e of this.prefixes) {
        const t = tailOf(path, e.path);
        if (t === undefined) continue;
        [entry, methods, tail] = [e, e.handlers.under, t];
        break;
      }
    }
    if (!entry || !methods) return { kind: 'none' };
    // Own keys only: a method name must never reach Object.prototype.
    const handler = Object.hasOwn(methods, method) ? methods[method as keyof Methods] : undefined;
    if (!handler) return { kind: 'method', allow: Object.keys(methods).join(', ') };
    return { kind: 'handler', handler, tail, route: entry.route, service: entry.service };
  }

  /** The handler for a WebSocket upgrade to `path`, if a service takes upgrades there. */
  upgrade(path: string): UpgradeHandler | undefined {
    return this.byPath.get(path)?.handlers.upgrade;
  }

  /**
   * Answers one request: a 405 or the handler's answer, with refusals answered as `{error, code}` and
   * anything else a handler throws logged and answered 500 (the relay never exits for a request).
   * False when no service serves the path.
   */
  dispatch(x: Omit<Exchange, 'tail'>, log: Logger): boolean {
    const r = this.resolve(x.req.method ?? 'GET', x.path);
    if (r.kind === 'none') return false;
    if (r.kind === 'method') methodNotAllowed(x.res, r.allow, 'method');
    else {
      const answering: Promise<void> = run(r.handler, { ...x, tail: r.tail }, r.service, log)
        .catch((err) => log.error({ err: String(err), service: r.service }, 'request not answered'))
        .finally(() => this.inFlight.delete(answering));
      this.inFlight.add(answering);
    }
    return true;
  }

  /** Resolves once every request dispatched so far has been answered (or has failed). */
  async idle(): Promise<void> {
    await Promise.all(this.inFlight);
  }
}

async function run(handler: HttpHandler, x: Exchange, service: string, log: Logger): Promise<void> {
  try {
    await handler(x);
  } catch (err) {
    const refusal = err instanceof Refusal ? err : undefined;
    if (!refusal) log.error({ err: String(err), service, path: x.path }, 'request failed');
    if (x.res.headersSent) return void x.res.destroy();
    if (!refusal) return sendJson(x.res, 500, { error: 'internal error', code: 'internal' });
    sendJson(x.res, refusal.status, refusal.code === undefined ? { error: refusal.message } : { error: refusal.message, code: refusal.code });
  }
}
