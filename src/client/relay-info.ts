import { Route, type RelayInfo } from '../core/protocol/routes.ts';
import type { RelayHttp } from './ports.ts';

/**
 * The hub's `/api/info`, or undefined when it cannot be reached or answers with an error. The answer is
 * input like any other: every field is optional here and each caller checks the one it reads.
 */
export async function fetchRelayInfo(relay: RelayHttp): Promise<Partial<RelayInfo> | undefined> {
  const res = await relay.fetch(relay.base + Route.info, { cache: 'no-store' }).catch(() => undefined);
  if (!res?.ok) return undefined;
  return (await res.json().catch(() => ({}))) as Partial<RelayInfo>;
}
