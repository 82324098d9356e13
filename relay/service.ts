import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { RouteName } from '../src/core/protocol/routes.ts';

/** One HTTP request as a route handler sees it. */
export interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** The URL path (percent-escapes checked, not decoded), without the query. */
  path: string;
  /** For `under` handlers: what follows `<route>/`, URL-decoded (raw when it does not decode). */
  tail: string;
  /** The query string's parameters. */
  query: URLSearchParams;
}

/**
 * Answers one request. Throwing a Refusal (relay/refusal.ts) answers its status and `{error, code}`;
 * anything else thrown is logged and answered 500. A handler that does not settle keeps nothing open
 * past close(): the server ends every connection first.
 */
export type HttpHandler = (x: Exchange) => void | Promise<void>;

/** Handlers by HTTP method, in the order the `allow` header of a 405 names them. */
export type Methods = Partial<Record<'GET' | 'HEAD' | 'POST' | 'PUT', HttpHandler>>;

/** A WebSocket upgrade to the route's path; the handler owns the socket from here. */
export type UpgradeHandler = (req: http.IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams) => void;

/** What a service answers on one route of the protocol table. */
export interface RouteHandlers {
  /** Requests for the route's own path. */
  at?: Methods;
  /** Requests for `<route>/<tail>` (an id: an agent, a file, a chunk, a query). */
  under?: Methods;
  upgrade?: UpgradeHandler;
}

/**
 * A relay feature with one lifecycle. The registry (relay/services.ts) lists every service; the relay
 * starts them in that order (a service may use what an earlier one started) and closes them in reverse.
 */
export interface RelayService {
  /** Short and unique: logs and start-up errors name the service by it. */
  readonly name: string;
  /** Loads state, starts listeners and timers. The relay does not listen for requests before every start() resolved. */
  start(): Promise<void>;
  /** Stops everything start() began and awaits it: timers cleared, sockets and files closed. */
  close(): Promise<void>;
  /** This service's fields of /api/status (JSON-able), merged into the answer. */
  status?(): Record<string, unknown>;
  /** Handlers keyed by the protocol route table (src/core/protocol/routes.ts); one service per route. */
  readonly routes?: Partial<Record<RouteName, RouteHandlers>>;
}
