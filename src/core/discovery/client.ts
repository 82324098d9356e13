import type { Identity } from '../crypto/keys.ts';
import { createQuery, type QueryInput } from './codec.ts';
import type { DiscoveryQuery, DiscoveryResult } from './types.ts';
import { discoveryQueryPath, Route, type RelayInfo } from '../protocol/routes.ts';
import { CodedError } from '../errors/coded-error.ts';

type FetchLike = (url: string, init?: { method?: string; body?: string; headers?: Record<string, string> }) => Promise<{ status: number; ok: boolean; json(): Promise<unknown> }>;

export interface IslandAnswer {
  island: string;
  islandName: string;
  /** The phone's own island. */
  local: boolean;
  created: number;
  received: number;
  /** ms since the answering island made the answer. */
  age: number;
  results: DiscoveryResult[];
}

export class DiscoveryHttpError extends CodedError<string> {
  override name = 'DiscoveryHttpError';
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, message);
  }
}

async function refusal(res: { status: number; json(): Promise<unknown> }): Promise<DiscoveryHttpError> {
  const body = (await res.json().catch(() => ({}))) as { error?: string; code?: string };
  return new DiscoveryHttpError(res.status, body.code ?? 'http', body.error ?? `relay answered ${res.status}`);
}

/** Asks the island's relay (and through it every island a bridge reaches) a question. */
export async function askIslands(relay: string, f: FetchLike, input: QueryInput, now: number, me?: Identity): Promise<DiscoveryQuery> {
  const info = await f(`${relay}${Route.info}`);
  const { node } = (await info.json()) as RelayInfo;
  const q = createQuery(input, node, now, me);
  const res = await f(`${relay}${Route.discoveryQueries}`, { method: 'POST', body: JSON.stringify(q), headers: { 'content-type': 'application/json' } });
  if (!res.ok) throw await refusal(res);
  return q;
}

/** Answers so far for a query this phone asked, newest first; undefined once the relay forgot it. */
export async function islandAnswers(relay: string, f: FetchLike, id: string): Promise<IslandAnswer[] | undefined> {
  const res = await f(`${relay}${discoveryQueryPath(id)}`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw await refusal(res);
  return ((await res.json()) as { answers: IslandAnswer[] }).answers;
}
