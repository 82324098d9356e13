import { isAgentKey } from '../core/protocol/invite.ts';
import { isRetirementDigest } from '../core/model/retirement.ts';
import { authHeaders, type RequestSigner } from '../core/protocol/auth.ts';
import { isAutomergeUrl } from '../core/protocol/automerge-url.ts';
import { Route, type OpenCommunity, type RelayInfo } from '../core/protocol/routes.ts';
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
export async function hubCommunity(relay: RelayHttp): Promise<{ url?: string; founder?: string; retirement?: string; awaitingOrganiser: boolean; openJoin: boolean }> {
  const info = await fetchRelayInfo(relay);
  if (!info) throw new UserError('error.relayUnreachable');
  const first = info.communities?.[0];
  // The hub's answer is input like any other: only a well-formed founder key is pinned.
  const founder = isAgentKey(first?.founder) ? first.founder : undefined;
  const retirement = isRetirementDigest(first?.retirement) ? first.retirement : undefined;
  return { url: typeof first?.url === 'string' ? first.url : undefined, founder, retirement, awaitingOrganiser: first?.awaitingOrganiser === true, openJoin: first?.openJoin === true };
}

/**
 * The hub's community open to newcomers (Route.openJoin), asked as the key that is joining; undefined
 * when the hub takes none without an invite (any more) or answers something malformed.
 */
export async function openCommunity(relay: RelayHttp, me: RequestSigner): Promise<{ url: string; founder?: string; retirement?: string } | undefined> {
  const headers = authHeaders(me, { method: 'GET', path: Route.openJoin });
  const res = await relay.fetch(relay.base + Route.openJoin, { cache: 'no-store', headers }).catch(() => undefined);
  if (!res?.ok) return undefined;
  const c = (await res.json().catch(() => ({}))) as Partial<OpenCommunity>;
  if (!isAutomergeUrl(c.url)) return undefined;
  return { url: c.url, founder: isAgentKey(c.founder) ? c.founder : undefined, retirement: isRetirementDigest(c.retirement) ? c.retirement : undefined };
}

/** The key the hub this phone talks to signs its change-sets with (what a community's hubs list names), if well formed. */
export async function connectedHubKey(relay: RelayHttp): Promise<string | undefined> {
  const info = await fetchRelayInfo(relay);
  // Relay keys are ed25519 public keys in the same form as agent ids.
  return isAgentKey(info?.relay) ? info.relay : undefined;
}
