/**
 * Child process of bench/sessions.ts: the abuser, on a "device" of its own. It opens `idle` authenticated
 * sockets that join and then say nothing, and one flooding socket; prints `ready`; on the line `go` from
 * its stdin asks for `ids` random doc ids nobody has; prints `misses <n>` once every one was answered
 * "unavailable" (or `misses <n> short` when the answers stop coming), again at each `go`; closes
 * everything when stdin ends.
 * In the bench's own process, encoding 10,000 requests and decoding their answers (and the idle sockets'
 * keepalives) took event-loop turns from the honest phone measured there: the abuser's own work was
 * counted as the relay's slowness.
 * Usage: node --import tsx bench/lib/session-flood.ts <relayUrl> <communityUrl> <ids> <idle>
 */
import type { AutomergeUrl } from '@automerge/automerge-repo';
import { cbor } from '@automerge/automerge-repo/slim';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { joinedSocket, sendAll, unknownIdRequests } from '../../tests/helpers/raw-sync-socket.ts';
import { signedSyncUrl } from '../../tests/helpers/sync-session.ts';

const [relayUrl, community, idsArg, idleArg] = process.argv.slice(2);
if (!relayUrl || !community || !idsArg || !idleArg) throw new Error('usage: session-flood <relayUrl> <communityUrl> <ids> <idle>');
const IDS = Number(idsArg);
const IDLE = Number(idleArg);
/** Handshakes in flight at once: one by one, 2,000 took minutes on a loaded machine. */
const OPEN_AT_ONCE = 50;
/** How long the answers may stop before the flood is called short (a limit on a hang, not a speed check). */
const ANSWERS_STALL_MS = 60_000;

function opened(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/**
 * An authenticated socket that joined and then says nothing more. Tried up to three times: a pooled
 * HTTP connection the relay closed as idle fails the challenge fetch that picks it up.
 */
async function idleSocket(i: number): Promise<WebSocket> {
  const peer = `idle-${i}`;
  for (let attempt = 1; ; attempt++) {
    try {
      const ws = await opened(await signedSyncUrl(relayUrl, { peer, communities: [community as AutomergeUrl] }));
      ws.send(cbor.encode({ type: 'join', senderId: peer, peerMetadata: {}, supportedProtocolVersions: ['1'] }));
      return ws;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

const sockets: WebSocket[] = [];
for (let i = 0; i < IDLE; i += OPEN_AT_ONCE) {
  const batch = await Promise.allSettled(Array.from({ length: Math.min(OPEN_AT_ONCE, IDLE - i) }, (_, j) => idleSocket(i + j)));
  for (const r of batch) if (r.status === 'fulfilled') sockets.push(r.value);
  const failed = batch.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
const flood = await joinedSocket(relayUrl, community as AutomergeUrl, 'flooder');
sockets.push(flood.ws);
// Encoded before the flood: on this 2-core machine the abuser's own encoding took CPU from the honest phone.
const frames = unknownIdRequests(flood, 'flooder', IDS);
process.stdout.write('ready\n');

const lines = createInterface({ input: process.stdin });
lines.on('close', () => {
  for (const s of sockets) s.terminate();
  process.exit(0);
});
for await (const line of lines) {
  if (line !== 'go') continue;
  // Each `go` is a flood of its own: its answers are counted from here.
  const before = flood.misses();
  const answered = (): number => flood.misses() - before;
  await sendAll(flood, frames);
  // Answers come as the relay gets to them (its per-socket budget paces them): wait while they keep coming.
  let last = answered();
  let lastAt = performance.now();
  while (answered() < IDS && performance.now() - lastAt < ANSWERS_STALL_MS) {
    await new Promise<void>((r) => {
      const done = (): void => (clearTimeout(timer), flood.ws.off('message', done), r());
      const timer = setTimeout(done, 1_000);
      flood.ws.once('message', done);
    });
    if (answered() !== last) [last, lastAt] = [answered(), performance.now()];
  }
  process.stdout.write(`misses ${answered()}${answered() < IDS ? ' short' : ''}\n`);
}
