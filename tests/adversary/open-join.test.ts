import type { AutomergeUrl } from '@automerge/automerge-repo';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../src/core/crypto/keys.ts';
import { createSetting, createSettingAs } from '../../src/core/model/community-records.ts';
import { authHeaders } from '../../src/core/protocol/auth.ts';
import { Route } from '../../src/core/protocol/routes.ts';
import { cleanupAfterEach } from '../helpers/cleanups.ts';
import { nodeClientPhone } from '../helpers/client-platform.ts';
import { NodePhone } from '../helpers/phone-client.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { SessionRepo } from '../helpers/session-repo.ts';
import { signedSyncUrl, upgradeStatus } from '../helpers/sync-session.ts';

// openspec/changes/open-join-by-setting/specs/island-sync/spec.md — real relay processes on loopback.
const cleanups = cleanupAfterEach();

async function hub(policy: 'community' | 'invite', opts: { dataDir?: string; port?: number } = {}): Promise<RelayProcess> {
  const r = await startRelayProcess({ ...opts, args: ['--node-name', 'open-join', '--join-policy', policy, '--agents-interval-ms', '0'] });
  cleanups.push(() => r.cleanup());
  return r;
}

async function infoOf(r: RelayProcess): Promise<{ url?: string; openJoin?: boolean }> {
  return ((await (await fetch(`${r.url}/api/info`)).json()) as { communities: Array<{ url?: string; openJoin?: boolean }> }).communities[0];
}

/** What the hub answers a stranger's key asking for the community open to newcomers. */
async function openJoinAnswer(r: RelayProcess): Promise<number> {
  return (await fetch(`${r.url}${Route.openJoin}`, { headers: authHeaders(createIdentity(), { method: 'GET', path: Route.openJoin }) })).status;
}

/** A stranger's key with no invite and no community it claims: what the sync handshake says (101 admitted). */
async function strangerSession(r: RelayProcess): Promise<number> {
  return upgradeStatus(await signedSyncUrl(r.url));
}

/** Ana founds the hub's community from the hub machine (loopback), becomes its organiser and posts. */
async function founded(r: RelayProcess): Promise<{ ana: NodePhone; url: AutomergeUrl }> {
  const ana = new NodePhone(r.url);
  cleanups.push(() => ana.close().catch(() => undefined));
  const url = await ana.communityUrl();
  await ana.join('Ana', url);
  await ana.post([{ kind: 'offer', category: 'food', title: 'Bread for anyone', description: '' }]);
  await expect.poll(() => ana.client.communitySettings.amOrganiser(), { timeout: 15_000 }).toBe(true);
  return { ana, url };
}

/** A newcomer's phone on the hub's address, joining with the invite box left empty. */
async function joinWithoutInvite(r: RelayProcess, name: string) {
  const p = nodeClientPhone(r.url);
  cleanups.push(() => p.close().catch(() => undefined));
  await p.phone.boot();
  await p.phone.join(name, '');
  return p;
}

describe('open join by the community’s signed setting', () => {
  it('Scenario: an organiser turns open join on and a newcomer with no invite joins the hub’s community', async () => {
    const r = await hub('community');
    const { ana } = await founded(r);
    // An invite link makes the community's URL alone admit nobody: what lets Beto in below is open join.
    await ana.client.communitySettings.newInviteLink();
    await expect.poll(() => strangerSession(r), { timeout: 15_000 }).toBe(401);
    await expect(joinWithoutInvite(r, 'Early')).rejects.toThrow('join.inviteNeeded');

    await ana.client.communitySettings.save({ openJoin: true });
    await expect.poll(async () => (await infoOf(r)).openJoin, { timeout: 15_000 }).toBe(true);
    // Strangers learn that it is open, not its address.
    expect((await infoOf(r)).url).toBeUndefined();
    expect(await strangerSession(r)).toBe(101);

    const beto = await joinWithoutInvite(r, 'Beto');
    await expect.poll(() => [...beto.phone.community.views.values()].flatMap((v) => v.intents.map((i) => i.name)), { timeout: 30_000 }).toContain('Bread for anyone');
    const betoId = beto.phone.session.state.state.me!.agentId;
    await expect.poll(() => ana.client.community.state.state.members[betoId], { timeout: 30_000 }).toBe('Beto');
  });

  it('Scenario: an organiser turns open join off and a newcomer with no invite is refused again', async () => {
    const r = await hub('community');
    const { ana } = await founded(r);
    // Never turned on: the hub is invite-only and says so.
    expect((await infoOf(r)).openJoin).toBeUndefined();
    expect(await openJoinAnswer(r)).toBe(404);
    await ana.client.communitySettings.save({ openJoin: true });
    await expect.poll(async () => (await infoOf(r)).openJoin, { timeout: 15_000 }).toBe(true);
    expect(await openJoinAnswer(r)).toBe(200);
    const beto = await joinWithoutInvite(r, 'Beto');
    const betoKey = beto.phone.session.me!;

    await ana.client.communitySettings.save({ openJoin: false });
    await expect.poll(async () => (await infoOf(r)).openJoin, { timeout: 15_000 }).toBeUndefined();
    expect(await openJoinAnswer(r)).toBe(404);
    await expect(joinWithoutInvite(r, 'Late')).rejects.toThrow('join.inviteNeeded');
    // Who joined while it was open is a member now: membership admits them.
    await expect.poll(async () => upgradeStatus(await signedSyncUrl(r.url, { identity: betoKey })), { timeout: 15_000 }).toBe(101);
  });

  it('Scenario: open join signed by a member who is no organiser, or forged in an organiser’s name, does not open the community', async () => {
    const r = await hub('community');
    const { ana, url } = await founded(r);
    const mallory = new NodePhone(r.url);
    cleanups.push(() => mallory.close());
    await mallory.join('Mallory', url);
    const community = ana.community().id;
    const own = createSettingAs(mallory.me, community, 'openJoin', true, Date.now());
    // Ana's name on it, Mallory's signature under it.
    const forged = createSetting(mallory.me.signSecretKey, ana.me.agentId, community, 'openJoin', true, Date.now());
    mallory.client.docs.community!.change((d) => {
      d.settings ??= {};
      d.settings[own.id] = own;
      d.settings[forged.id] = forged;
      (d as unknown as Record<string, unknown>).openJoin = true; // a plain field, signed by nobody
    });
    // The hub has both records once another session receives them from it.
    const reader = new SessionRepo(r.url, [url], ana.me);
    cleanups.push(() => reader.close().catch(() => undefined));
    await expect.poll(async () => Object.keys((await reader.repo.find<{ settings?: Record<string, unknown> }>(url)).doc()?.settings ?? {}), { timeout: 30_000 }).toEqual(expect.arrayContaining([own.id, forged.id]));
    expect((await reader.community(url)).settings.openJoin).toBe(false);
    expect((await infoOf(r)).openJoin).toBeUndefined();
    expect(await strangerSession(r)).toBe(401);
    expect(await openJoinAnswer(r)).toBe(404);

    // The organiser's own record does open it (the records above were judged, not missed).
    await ana.client.communitySettings.save({ openJoin: true });
    await expect.poll(() => strangerSession(r), { timeout: 15_000 }).toBe(101);
  });

  it('Scenario: a hub whose operator chose --join-policy invite stays invite-only when its organisers open join', async () => {
    let r = await hub('invite');
    const { ana, url } = await founded(r);
    await ana.client.communitySettings.save({ openJoin: true });
    // The hub holds the organisers' choice (a member's session reads it from there)...
    const reader = new SessionRepo(r.url, [url], ana.me);
    cleanups.push(() => reader.close().catch(() => undefined));
    await expect.poll(async () => (await reader.community(url)).settings.openJoin, { timeout: 30_000 }).toBe(true);
    await reader.close();
    // ...and still asks every newcomer for an invite.
    expect((await infoOf(r)).openJoin).toBeUndefined();
    expect(await strangerSession(r)).toBe(401);
    expect(await openJoinAnswer(r)).toBe(404);
    await expect(joinWithoutInvite(r, 'Beto')).rejects.toThrow('join.inviteNeeded');

    // The same data dir under the default policy: the organisers' choice holds.
    await ana.close();
    await r.stop();
    r = await hub('community', { dataDir: r.dataDir, port: r.port });
    await expect.poll(() => strangerSession(r), { timeout: 15_000 }).toBe(101);
  });
});
