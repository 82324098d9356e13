import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AutomergeUrl } from '@automerge/automerge-repo';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../helpers/cleanups.ts';
import { decodeInvite } from '../../src/core/protocol/invite.ts';
import { runAdminCommand } from '../../relay/admin/cli.ts';
import { nodeClientPhone } from '../helpers/client-platform.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { signedSyncUrl, upgradeStatus } from '../helpers/sync-session.ts';
import { waitFor } from '../helpers/wait-for.ts';

// openspec/specs/island-sync "A fresh hub's first member brings its operator's invite" — real relay processes on loopback. `--first-organiser-link-only`
// makes a socket from this machine count as one from the Wi-Fi (without it, the hub machine itself may found).
const cleanups = cleanupAfterEach();

const INVITE_FILE = 'first-organiser-invite.txt';

async function freshHub(dataDir: string, port?: number): Promise<RelayProcess> {
  const r = await startRelayProcess({ dataDir, ...(port ? { port } : {}), args: ['--node-name', 'first', '--join-policy', 'invite', '--first-organiser-link-only', '--agents-interval-ms', '0'] });
  cleanups.push(() => r.cleanup());
  return r;
}

async function infoOf(r: RelayProcess): Promise<{ url?: string; awaitingOrganiser?: boolean }> {
  return ((await (await fetch(`${r.url}/api/info`)).json()) as { communities: Array<{ url?: string; awaitingOrganiser?: boolean }> }).communities[0];
}

async function firstOrganiserCommand(dataDir: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAdminCommand(['first-organiser', '--data-dir', dataDir, '--origin', 'https://mesh.lan'], { out: (s) => (out += String(s)), err: (s) => (err += s) });
  return { code, out, err };
}

function phoneOn(r: RelayProcess) {
  const p = nodeClientPhone(r.url);
  cleanups.push(() => p.close().catch(() => undefined));
  return p;
}

describe('the first organiser of a fresh hub', () => {
  it('Scenario: a stranger cannot be the first to join a fresh hub; its first organiser joins with the invite the hub printed', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'spm-first-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    let r = await freshHub(dataDir);
    // The hub hands a stranger no way in, and says why.
    expect(await infoOf(r)).toMatchObject({ awaitingOrganiser: true });
    expect((await infoOf(r)).url).toBeUndefined();
    const invite = (await readFile(path.join(r.dataDir, INVITE_FILE), 'utf8')).trim();
    expect(r.logs.some((l) => l.includes(invite) && l.includes('first organiser'))).toBe(true);
    const parsed = decodeInvite(invite)!;
    expect(parsed.secret).toBeTruthy();
    const url = parsed.url as AutomergeUrl;

    const eve = phoneOn(r);
    await eve.phone.boot();
    await expect(eve.phone.join('Eve', '')).rejects.toThrow('join.firstOrganiserInvite');
    // Even a stranger who learned the community's address is refused: only the printed invite founds it.
    expect(await upgradeStatus(await signedSyncUrl(r.url, { communities: [url] }))).toBe(401);
    expect(await upgradeStatus(await signedSyncUrl(r.url, { communities: [url], inviteSecrets: { [url]: 'A'.repeat(22) } }))).toBe(401);

    // The invite survives a restart before anyone used it (the secret is kept in the data dir).
    await r.stop();
    r = await freshHub(dataDir, r.port);
    expect((await readFile(path.join(r.dataDir, INVITE_FILE), 'utf8')).trim()).toBe(invite);

    // The operator's command prints it as a link to open, with a QR code to scan from the phone.
    const printed = await firstOrganiserCommand(dataDir);
    expect(printed.code).toBe(0);
    expect(printed.out).toContain(`https://mesh.lan/?invite=${encodeURIComponent(invite)}`);
    expect(printed.out).toMatch(/[█▀▄]{20}/);

    const olga = phoneOn(r);
    await olga.phone.boot();
    await olga.phone.join('Olga', invite);
    const olgaId = olga.phone.session.state.state.me!.agentId;
    await waitFor(() => olga.phone.community.state.state.members[olgaId] === 'Olga', 'the first organiser is in the directory');
    // With a member, the hub stops waiting: the invite file goes and /api/info no longer says so.
    await expect.poll(() => existsSync(path.join(r.dataDir, INVITE_FILE)), { timeout: 15_000 }).toBe(false);
    await expect.poll(async () => (await infoOf(r)).awaitingOrganiser, { timeout: 15_000 }).toBeUndefined();
    expect(await firstOrganiserCommand(dataDir)).toMatchObject({ code: 1, err: expect.stringContaining('someone has joined already') });
    const late = phoneOn(r);
    await late.phone.boot();
    await expect(late.phone.join('Tardío', '')).rejects.toThrow('join.inviteNeeded');
  });
});
