import { Repo, type AutomergeUrl } from '@automerge/automerge-repo';
import { cbor } from '@automerge/automerge-repo/slim';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createIdentity, type Identity } from '../../src/core/crypto/keys.ts';
import type { CommunityDoc, FeedDoc } from '../../src/core/model/types.ts';
import { memberEntries } from '../../src/core/model/community.ts';
import { findEventually } from '../../src/platform/find-eventually.ts';
import { decodeInvite } from '../../src/core/protocol/invite.ts';
import { NodePhone, offers } from '../helpers/phone-client.ts';
import { SessionRepo } from '../helpers/session-repo.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { signedSyncUrl, syncUrlOf, upgradeStatus } from '../helpers/sync-session.ts';

// openspec/changes/authenticated-sessions/specs/island-sync/spec.md — real relay processes on loopback
const running: RelayProcess[] = [];
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c().catch(() => undefined);
  for (const r of running.splice(0)) await r.cleanup();
});

async function relay(policy: 'invite' | 'open' = 'invite'): Promise<RelayProcess> {
  const r = await startRelayProcess({ args: ['--node-name', 'sessions', '--join-policy', policy, '--agents-interval-ms', '0'] });
  running.push(r);
  return r;
}

/** A real phone client (it joins with an invite). */
function phone(r: RelayProcess): NodePhone {
  const p = new NodePhone(r.url);
  closers.push(() => p.close());
  return p;
}

/** A raw client below the phone: a key (new, or `identity`) holding the invite, that never joins. */
function holder(r: RelayProcess, community: AutomergeUrl, identity?: Identity): SessionRepo {
  const p = new SessionRepo(r.url, [community], identity);
  closers.push(() => p.close());
  return p;
}

/** The founder takes the community URL from /api/info while nobody has joined, then posts. */
async function founded(r: RelayProcess): Promise<{ ana: NodePhone; url: AutomergeUrl }> {
  const info = (await (await fetch(`${r.url}/api/info`)).json()) as { communities: Array<{ url?: AutomergeUrl }> };
  const url = info.communities[0].url!;
  expect(url).toMatch(/^automerge:/);
  const ana = phone(r);
  await ana.join('Ana', url);
  await ana.post([
    { kind: 'offer', category: 'food', title: 'Members-only soup', description: 'for us', audience: 'trusted' },
    { kind: 'offer', category: 'food', title: 'Bread for anyone', description: '' },
  ]);
  await expect.poll(() => ana.titles(), { timeout: 30_000 }).toEqual(['Bread for anyone', 'Members-only soup']);
  return { ana, url };
}

/** A raw socket that has joined: sends frames as it likes, counts what comes back. */
async function rawPeer(url: string, peer: string): Promise<{ ws: WebSocket; relayPeer: string; received: Array<Record<string, unknown>>; closed: Promise<number> }> {
  const ws = new WebSocket(url);
  const received: Array<Record<string, unknown>> = [];
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const relayPeer = new Promise<string>((r) =>
    ws.on('message', (d: Buffer) => {
      const m = cbor.decode(new Uint8Array(d)) as Record<string, unknown>;
      received.push(m);
      if (m.type === 'peer') r(String(m.senderId));
    }),
  );
  ws.send(cbor.encode({ type: 'join', senderId: peer, peerMetadata: {}, supportedProtocolVersions: ['1'] }));
  return { ws, relayPeer: await relayPeer, received, closed };
}

/** automerge-repo's own client (no identity), minus its habit of throwing on a refused upgrade in Node. */
class QuietClient extends WebSocketClientAdapter {
  constructor(url: string, retry: number) {
    super(url, retry);
    (this as unknown as { onError: () => void }).onError = () => undefined;
  }

  override disconnect(): void {
    this.socket?.addEventListener('error', () => undefined);
    super.disconnect();
  }
}

async function rssKb(pid: number): Promise<number> {
  return Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}

describe('authenticated sync sessions', () => {
  it('Scenario: an anonymous automerge-repo client gets no community doc, no member list, no members-only post and cannot write', async () => {
    const r = await relay('invite');
    const { ana, url } = await founded(r);
    // Founded: /api/info no longer hands the community URL to whoever asks.
    const info = async () => ((await (await fetch(`${r.url}/api/info`)).json()) as { communities: Array<{ url?: string; name: string }> }).communities[0];
    await expect.poll(async () => (await info()).url, { timeout: 15_000 }).toBeUndefined();
    expect((await info()).name).toBeTruthy();

    // Even holding the URL, a client with no identity is not let in, so it reads and writes nothing.
    const anon = new Repo({ network: [new QuietClient(syncUrlOf(r.url), 500)] });
    closers.push(() => anon.shutdown());
    await expect(anon.find<CommunityDoc>(url)).rejects.toThrow(/unavailable/);
    const feedUrl = memberEntries((await ana.repo.find<CommunityDoc>(url)).doc())[ana.me.agentId].feedUrl as AutomergeUrl;
    await expect(anon.find<FeedDoc>(feedUrl)).rejects.toThrow(/unavailable/);
    expect(await upgradeStatus(syncUrlOf(r.url))).toBe(401);

    // A signed session with a key of its own but no invite is refused too.
    expect(await upgradeStatus(await signedSyncUrl(r.url))).toBe(401);
    // Proving an invite to some other community does not help.
    expect(await upgradeStatus(await signedSyncUrl(r.url, { communities: ['automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ' as AutomergeUrl] }))).toBe(401);
    // A replayed handshake (same signed token) is refused: the challenge is single-use.
    const once = await signedSyncUrl(r.url, { communities: [url] });
    expect(await upgradeStatus(once)).toBe(101);
    expect(await upgradeStatus(once)).toBe(401);

    // The community is as Ana left it: one member, her posts. The members-only one is sealed on her phone
    // (audience keys), so even a key holding the invite reads only the public one.
    const beto = holder(r, url);
    await expect.poll(() => beto.titles(url), { timeout: 30_000 }).toEqual(['Bread for anyone']);
    expect(Object.keys((await beto.repo.find<CommunityDoc>(url)).doc().members)).toEqual([ana.me.agentId]);
  });

  it('Scenario: an invited newcomer syncs the community but not docs no community lists', async () => {
    const r = await relay('invite');
    const { ana, url } = await founded(r);
    // Ana's phone brings a doc that no community lists: only her key may read it back.
    const stray = ana.repo.create<{ note: string }>({ note: 'private draft' });
    await expect.poll(async () => ((await (await fetch(`${r.url}/api/status`)).json()) as { sync: { newDocs: number } }).sync.newDocs, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const beto = phone(r);
    await beto.join('Beto', url);
    await expect.poll(() => beto.titles(), { timeout: 30_000 }).toContain('Bread for anyone');
    expect(beto.titles()).not.toContain('Members-only soup'); // sealed: nobody has vouched for Beto yet
    await expect(beto.repo.find(stray.url)).rejects.toThrow(/unavailable/);
    const again = holder(r, url, ana.me);
    const back = await findEventually<{ note?: string }>(again.repo, stray.url);
    await expect.poll(() => back.doc()?.note, { timeout: 15_000 }).toBe('private draft');
  });

  it('Scenario: a client reusing a live peer id of another key is refused and the live phone stays', async () => {
    const r = await relay('open');
    const { ana, url } = await founded(r);
    let dropped = 0;
    ana.network.on('peer-disconnected', () => dropped++);
    const live = ana.repo.peerId;
    // At the handshake: the peer id is taken by a live socket of another key.
    expect(await upgradeStatus(await signedSyncUrl(r.url, { peer: live, communities: [url] }))).toBe(409);
    // In the frames: a socket admitted as one peer id that joins as another is closed.
    const sneaky = await new Promise<number>((resolve) => {
      void signedSyncUrl(r.url, { peer: 'mallory', communities: [url] }).then((u) => {
        const ws = new WebSocket(u);
        ws.once('open', () => ws.send(cbor.encode({ type: 'join', senderId: live, peerMetadata: {}, supportedProtocolVersions: ['1'] })));
        ws.once('close', (code) => resolve(code));
      });
    });
    expect(sneaky).toBe(1008);
    // The same key may come back under its peer id (a phone reconnecting) — that is not refused.
    expect(await upgradeStatus(await signedSyncUrl(r.url, { identity: ana.me, peer: 'ana-second-tab', communities: [url] }))).toBe(101);

    await ana.post([{ kind: 'offer', category: 'food', title: 'Still here', description: 'after the attempt' }]);
    const beto = holder(r, url);
    await expect.poll(() => beto.titles(url), { timeout: 30_000 }).toContain('Still here');
    expect(dropped).toBe(0);
  });

  it('Scenario: a flood of random doc ids leaves /api/status answering and an honest phone syncing', async () => {
    const r = await relay('open');
    const { ana, url } = await founded(r);
    const before = await rssKb(r.child.pid!);
    const flood = await rawPeer(await signedSyncUrl(r.url, { peer: 'flooder', communities: [url] }), 'flooder');
    const N = 10_000;
    for (let i = 0; i < N; i++) {
      // Let this test's own event loop breathe (its pooled HTTP connections see the relay's closes).
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
      flood.ws.send(cbor.encode({ type: 'request', senderId: 'flooder', targetId: flood.relayPeer, documentId: randomBytes(16).toString('base64url'), data: new Uint8Array([0x42, 0, 0, 0]) }));
    }
    // While the flood is being worked through, the relay answers status and an honest phone syncs.
    const statusOk = await fetch(`${r.url}/api/status`, { signal: AbortSignal.timeout(10_000) }).then(
      (res) => res.ok,
      (err) => `${String(err)}; relay exit ${r.child.exitCode}; ${r.logs.slice(-5).join('\n')}`,
    );
    expect(statusOk).toBe(true);
    await ana.post(offers('During flood', 3));
    const beto = holder(r, url);
    await expect.poll(async () => (await beto.titles(url)).filter((t) => t.startsWith('During flood')).length, { timeout: 60_000 }).toBe(3);
    // Every one of those ids is a cheap miss: the flooder hears "unavailable" for each.
    await expect.poll(() => flood.received.filter((m) => m.type === 'doc-unavailable').length, { timeout: 120_000 }).toBe(N);
    const growthMb = ((await rssKb(r.child.pid!)) - before) / 1024;
    expect(growthMb).toBeLessThan(150);
    expect(r.child.exitCode).toBeNull();
    flood.ws.close();
  });

  it('Scenario: a newcomer key brings only a bounded number of docs no community lists', async () => {
    const r = await relay('open');
    const { url } = await founded(r);
    const eve = holder(r, url, createIdentity());
    for (let i = 0; i < 40; i++) eve.repo.create({ junk: i, pad: 'x'.repeat(100) });
    const sync = async () => ((await (await fetch(`${r.url}/api/status`)).json()) as { sync: { newDocs: number; overQuota: number } }).sync;
    await expect.poll(async () => (await sync()).overQuota, { timeout: 30_000 }).toBeGreaterThan(0);
    // Ana's feed (and her profile's doc) count as well, so the newcomer got at most its quota.
    expect((await sync()).newDocs).toBeLessThanOrEqual(16 + 2);
  });

  // openspec/changes/member-removal/specs/phone-relay-protocol/spec.md
  it('Scenario: a removed member’s live socket is closed and a new session refused', async () => {
    const r = await relay('invite');
    const { ana, url } = await founded(r);
    const mallory = phone(r);
    await mallory.join('Mallory', url);
    await mallory.post([{ kind: 'offer', category: 'tools', title: 'Mallory’s ladder', description: '' }]);
    const beto = holder(r, url);
    await expect.poll(() => beto.titles(url), { timeout: 30_000 }).toContain('Mallory’s ladder');
    // A socket of Mallory's key, open when the removal arrives.
    const live = new WebSocket(await signedSyncUrl(r.url, { identity: mallory.me, peer: 'mallory-raw', communities: [url] }));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => live.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
    await new Promise((resolve, reject) => (live.once('open', resolve), live.once('error', reject)));
    live.send(cbor.encode({ type: 'join', senderId: 'mallory-raw', peerMetadata: {}, supportedProtocolVersions: ['1'] }));

    await expect.poll(() => ana.client.communitySettings.amOrganiser(), { timeout: 15_000 }).toBe(true);
    await ana.client.communitySettings.removeMember(mallory.me.agentId);
    expect(await closed).toEqual({ code: 4403, reason: 'removed from the community by its organisers' });
    // A new session is refused, invite or not; her feed is no longer served to others.
    expect(await upgradeStatus(await signedSyncUrl(r.url, { identity: mallory.me, communities: [url] }))).toBe(401);
    const carla = holder(r, url);
    const feed = (await carla.community(url)).members;
    expect(feed[mallory.me.agentId]).toBeUndefined();
    const malloryFeed = memberEntries((await ana.repo.find<CommunityDoc>(url)).doc())[mallory.me.agentId].feedUrl as AutomergeUrl;
    await expect(carla.repo.find<FeedDoc>(malloryFeed)).rejects.toThrow(/unavailable/);
    // Ana's phone no longer counts her: not a member, her post not shown.
    await expect.poll(() => ana.titles(), { timeout: 15_000 }).not.toContain('Mallory’s ladder');
    expect(ana.client.community.state.state.members[mallory.me.agentId]).toBeUndefined();
    // Undo: a later signed list naming her as let back in lets her key in again.
    await ana.client.communitySettings.undoRemoval(mallory.me.agentId);
    await expect.poll(async () => upgradeStatus(await signedSyncUrl(r.url, { identity: mallory.me, communities: [url] })), { timeout: 15_000 }).toBe(101);
  });

  it('Scenario: an old invite stops admitting newcomers after a new invite link, members still connect', async () => {
    const r = await relay('invite');
    const { ana, url } = await founded(r);
    const beto = phone(r);
    await beto.join('Beto', url);
    expect(await upgradeStatus(await signedSyncUrl(r.url, { communities: [url] }))).toBe(101);

    await expect.poll(() => ana.client.communitySettings.amOrganiser(), { timeout: 15_000 }).toBe(true);
    const link = await ana.client.communitySettings.newInviteLink();
    const secret = decodeInvite(link)?.secret;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Ana's invite screen now shows the link that works.
    await expect.poll(() => decodeInvite(ana.client.community.state.state.invite)?.secret, { timeout: 15_000 }).toBe(secret);
    // The old invite (the URL alone) no longer admits a fresh key once the setting reaches the hub.
    await expect.poll(async () => upgradeStatus(await signedSyncUrl(r.url, { communities: [url] })), { timeout: 15_000 }).toBe(401);
    expect(await upgradeStatus(await signedSyncUrl(r.url, { communities: [url], inviteSecrets: { [url]: 'x'.repeat(22) } }))).toBe(401);
    // Members keep their access; a newcomer with the new link joins with the real client.
    expect(await upgradeStatus(await signedSyncUrl(r.url, { identity: beto.me, communities: [url] }))).toBe(101);
    // Beto's phone holds no link secret: it shows no invite rather than one that would fail.
    await expect.poll(() => beto.client.community.state.state.invite, { timeout: 15_000 }).toBe('');
    // Once Ana makes him an organiser, her phone boxes the secret to him and his phone shows the same link.
    await ana.client.communitySettings.save({ stewards: [...ana.client.community.signed!.settings.stewards, beto.me.agentId] });
    await expect.poll(() => decodeInvite(beto.client.community.state.state.invite)?.secret, { timeout: 30_000 }).toBe(secret);
    const carla = phone(r);
    await carla.join('Carla', url, { invite: link });
    await expect.poll(() => carla.titles(), { timeout: 30_000 }).toContain('Bread for anyone');
  });
});
