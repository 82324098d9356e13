import { isAgentKey } from '../core/protocol/invite.ts';
import { isRetirementDigest } from '../core/model/retirement.ts';
import { Route, type RelayInfo } from '../core/protocol/routes.ts';
import { UserError } from './errors.ts';
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

/** The community the hub serves first (what a phone joins with no invite), and its founder and the founder's retirement if well formed. */
export async function hubCommunity(relay: RelayHttp): Promise<{ url?: string; founder?: string; retirement?: string; awaitingOrganiser: boolean }> {
  const info = await fetchRelayInfo(relay);
  if (!info) throw new UserError('error.relayUnreachable');
  const first = info.communities?.[0];
  // The hub's answer is input like any other: only a well-formed founder key is pinned.
  const founder = isAgentKey(first?.founder) ? first.founder : undefined;
  const retirement = isRetirementDigest(first?.retirement) ? first.retirement : undefined;
  return { url: typeof first?.url === 'string' ? first.url : undefined, founder, retirement, awaitingOrganiser: first?.awaitingOrganiser === true };
}

/** The key the hub this phone talks to signs its change-sets with (what a community's hubs list names), if well formed. */
export async function connectedHubKey(relay: RelayHttp): Promise<string | undefined> {
  const info = await fetchRelayInfo(relay);
  // Relay keys are ed25519 public keys in the same form as agent ids.
  return isAgentKey(info?.relay) ? info.relay : undefined;
}
