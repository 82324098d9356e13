import { isValidEid, nodeIdOf } from '../../../src/core/dtn/index.ts';

/**
 * Static routes an operator configures (`--route <dest-pattern>=<peer node id>`): a bundle whose
 * destination matches a pattern goes to that peer and is held back from every other peer but the
 * destination node itself, as dtn7's static routing does. A pattern is an endpoint ID in which `*`
 * stands for any run of characters (`dtn://far/*`, `ipn:977.*`); the first matching route wins.
 */
export interface StaticRoute {
  pattern: string;
  via: string;
}

/** Routes kept at most: matching runs for each listed bundle, so the table stays small. */
export const MAX_ROUTES = 256;
const MAX_PATTERN = 512;

export class RouteError extends Error {
  override name = 'RouteError';
}

/** `dtn://name/` or `ipn:N.0`: the node IDs a route may point to. */
export function isNodeId(v: string): boolean {
  if (!isValidEid(v) || v === 'dtn:none') return false;
  return nodeIdOf(v) === v;
}

/** Parses `<pattern>=<node id>`; throws RouteError with a plain reason. */
export function parseRoute(v: string): StaticRoute {
  const eq = v.lastIndexOf('=');
  if (eq <= 0) throw new RouteError('expected <destination pattern>=<peer node id>, e.g. dtn://far/*=dtn://gateway/');
  const pattern = v.slice(0, eq).trim();
  const via = v.slice(eq + 1).trim();
  if (pattern.length > MAX_PATTERN || !/^[\x21-\x7e]+$/.test(pattern)) throw new RouteError(`bad destination pattern: ${pattern.slice(0, 60)}`);
  if (!/^(dtn:|ipn:)/.test(pattern)) throw new RouteError(`the pattern must start with dtn: or ipn: (got ${pattern.slice(0, 60)})`);
  if (!isNodeId(via)) throw new RouteError(`not a node ID (dtn://name/ or ipn:N.0): ${via.slice(0, 60)}`);
  return { pattern, via };
}

function patternRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export class StaticRoutes {
  private readonly compiled: Array<StaticRoute & { re: RegExp }>;
  /** Every pattern in one expression: most destinations match none, and that costs one test. */
  private readonly any: RegExp | undefined;
  /** Destinations that matched → the peer; bounded, cleared when full. */
  private readonly matched = new Map<string, string>();

  constructor(readonly routes: readonly StaticRoute[]) {
    if (routes.length > MAX_ROUTES) throw new RouteError(`at most ${MAX_ROUTES} static routes`);
    this.compiled = routes.map((r) => ({ ...r, re: patternRegExp(r.pattern) }));
    this.any = routes.length ? new RegExp(this.compiled.map((r) => `(?:${r.re.source})`).join('|')) : undefined;
  }

  /** The peer a destination is routed to, or undefined when no route matches. */
  via(destination: string): string | undefined {
    if (!this.any?.test(destination)) return undefined;
    let v = this.matched.get(destination);
    if (v === undefined) {
      v = this.compiled.find((r) => r.re.test(destination))?.via;
      if (v === undefined) return undefined;
      if (this.matched.size >= 10_000) this.matched.clear();
      this.matched.set(destination, v);
    }
    return v;
  }
}
