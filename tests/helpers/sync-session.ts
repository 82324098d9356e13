import type { AutomergeUrl } from '@automerge/automerge-repo';
import WebSocket from 'ws';
import { createIdentity, type Identity } from '../../src/core/crypto/keys.ts';
import { SESSION_QUERY, signSession } from '../../src/core/protocol/session-auth.ts';
import { challengeUrl } from '../../src/platform/session-socket.ts';
import { inviteSecretHash } from '../../src/core/protocol/invite-secret.ts';

export const syncUrlOf = (relayUrl: string): string => relayUrl.replace(/^http/, 'ws') + '/sync';

/** A fresh challenge from the relay, as a phone gets it. */
export async function challenge(relayUrl: string): Promise<string> {
  return ((await (await fetch(challengeUrl(syncUrlOf(relayUrl)))).json()) as { challenge: string }).challenge;
}

/** A signed /sync URL, as a phone opens it: for raw WebSocket tests that speak the frames themselves. */
export async function signedSyncUrl(
  relayUrl: string,
  opts: { identity?: Identity; communities?: AutomergeUrl[]; peer?: string; inviteSecrets?: Record<string, string> } = {},
): Promise<string> {
  const me = opts.identity ?? createIdentity();
  const held = (opts.communities ?? []).map((u) => {
    const secret = opts.inviteSecrets?.[u];
    return { docId: u.replace(/^automerge:/, ''), ...(secret ? { secretHash: inviteSecretHash(secret) } : {}) };
  });
  const token = signSession(me, await challenge(relayUrl), opts.peer ?? 'raw-test-peer', held);
  return `${syncUrlOf(relayUrl)}?${SESSION_QUERY}=${token}`;
}

/** What the relay answers an upgrade with (101 when it admits the socket). */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => (ws.close(), resolve(101)));
    ws.once('unexpected-response', (_req, res) => (res.resume(), resolve(res.statusCode ?? 0)));
    ws.once('error', (e) => (/Unexpected server response: (\d+)/.test(e.message) ? resolve(Number(RegExp.$1)) : reject(e)));
  });
}
