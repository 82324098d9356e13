import type { AutomergeUrl } from '@automerge/automerge-repo';
import { cbor } from '@automerge/automerge-repo/slim';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { signedSyncUrl } from './sync-session.ts';

/** A sync socket below any repo: it proved a session for `community` and joined as `peer`. */
export interface RawSyncSocket {
  ws: WebSocket;
  /** The relay's peer id, from its answer to the join. */
  relayPeer: string;
  /** How many "unavailable" answers it has had. */
  misses(): number;
}

/** Opens, proves a session, joins and waits for the relay's answer; counts "unavailable" answers after. */
export async function joinedSocket(relayUrl: string, community: AutomergeUrl, peer: string): Promise<RawSyncSocket> {
  const ws = new WebSocket(await signedSyncUrl(relayUrl, { peer, communities: [community] }));
  await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
  let misses = 0;
  const relayPeer = new Promise<string>((ok) =>
    ws.on('message', (d: Buffer) => {
      const m = cbor.decode(new Uint8Array(d)) as { type: string; senderId: string };
      if (m.type === 'peer') ok(m.senderId);
      if (m.type === 'doc-unavailable') misses++;
    }),
  );
  ws.send(cbor.encode({ type: 'join', senderId: peer, peerMetadata: {}, supportedProtocolVersions: ['1'] }));
  return { ws, relayPeer: await relayPeer, misses: () => misses };
}

/** `n` requests for random doc ids nobody has, encoded ahead (an abuser would not pay for it mid-flood). */
export function unknownIdRequests(s: RawSyncSocket, peer: string, n: number): Uint8Array[] {
  return Array.from({ length: n }, () => cbor.encode({ type: 'request', senderId: peer, targetId: s.relayPeer, documentId: randomBytes(16).toString('base64url'), data: new Uint8Array([0x42]) }));
}

/** Sends frames, yielding every 500 so the sender's own loop keeps turning. */
export async function sendAll(s: RawSyncSocket, frames: readonly Uint8Array[]): Promise<void> {
  for (let i = 0; i < frames.length; i++) {
    if (i % 500 === 0) await new Promise((ok) => setImmediate(ok));
    s.ws.send(frames[i]);
  }
}

/** Asks for `n` random doc ids nobody has. */
export async function requestUnknownIds(s: RawSyncSocket, peer: string, n: number): Promise<void> {
  await sendAll(s, unknownIdRequests(s, peer, n));
}
