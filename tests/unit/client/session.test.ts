import { Repo } from '@automerge/automerge-repo';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/client/errors.ts';
import { makeCommunity, makePhone, until, type TestPhone } from './harness.ts';

const phones: TestPhone[] = [];
const repos: Repo[] = [];
afterEach(async () => {
  for (const p of phones.splice(0)) p.phone.stop();
  for (const r of repos.splice(0)) await r.shutdown();
});
function setup() {
  const repo = new Repo({});
  repos.push(repo);
  return { repo, community: makeCommunity(repo) };
}
function phoneOn(...args: Parameters<typeof makePhone>): TestPhone {
  const p = makePhone(...args);
  phones.push(p);
  return p;
}

describe('client: session (lock, identity, wipe) in Node', () => {
  it('Scenario: a phone joins with an invite, and after a restart it is still the same member without asking again', async () => {
    const { repo, community } = setup();
    const first = phoneOn(repo);
    expect(first.phone.session.state.state.phase).toBe('loading');
    await first.phone.boot();
    expect(first.phone.session.state.state.phase).toBe('welcome');
    await first.phone.join('Ana', community.invite);
    const me = first.phone.session.state.state.me!;
    expect(me.name).toBe('Ana');
    expect(first.phone.session.state.state).toMatchObject({ phase: 'ready', lockKind: 'device' });
    expect(first.phone.community.state.state.members[me.agentId]).toBe('Ana');
    first.phone.stop();

    // Same storage, a new start: the device key opens it, no welcome screen.
    const again = phoneOn(repo, first.local);
    await again.phone.boot();
    expect(again.phone.session.state.state).toMatchObject({ phase: 'ready', me: { agentId: me.agentId, name: 'Ana' } });
    // Nothing identifying is stored in clear: every secret setting is sealed.
    const clear = JSON.stringify(await Promise.all((await first.local.settings.keys()).map((k) => first.local.settings.get(k))));
    expect(clear).not.toContain('Ana');
  });

  it('Scenario: a bad name, PIN or invite is refused with a message and nothing is created', async () => {
    const { repo, community } = setup();
    const { phone, local } = phoneOn(repo);
    await phone.boot();
    const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof UserError ? e.message : `crash: ${String(e)}`));
    expect(await refusal(phone.join('  ', community.invite))).toBe('error.nameRequired');
    expect(await refusal(phone.join('x'.repeat(61), community.invite))).toBe('error.tooLong');
    expect(await refusal(phone.join('Ana', community.invite, { pin: '12' }))).toBe('lock.tooShort');
    expect(await refusal(phone.join('Ana', community.invite, { pin: '1234', duressPin: '1234' }))).toBe('lock.same');
    expect(await refusal(phone.join('Ana', 'spm-invite:not-base64!'))).toBe('error.badInvite');
    // No invite: the relay's default community, and there is no relay.
    expect(await refusal(phone.join('Ana', ''))).toBe('error.relayUnreachable');
    expect(await local.settings.keys()).toEqual([]);
  });

  it('Scenario: a PIN phone starts locked; a wrong PIN is refused, the real PIN opens it', async () => {
    const { repo, community } = setup();
    const ana = phoneOn(repo);
    await ana.phone.boot();
    await ana.phone.join('Ana', community.invite, { pin: '2468' });
    expect(ana.phone.session.state.state.lockKind).toBe('pin');
    ana.phone.stop();

    const later = phoneOn(repo, ana.local);
    await later.phone.boot();
    expect(later.phone.session.state.state.phase).toBe('locked');
    await expect(later.phone.unlock('0000')).rejects.toThrow('lock.wrong');
    await later.phone.unlock('2468');
    expect(later.phone.session.state.state).toMatchObject({ phase: 'ready', decoy: false, me: { name: 'Ana' } });
    later.phone.session.lockNow();
    expect(later.page.reloads).toBe(1);
  });

  it('Scenario: the duress PIN opens a decoy with public posts only and shreds the real secrets', async () => {
    const { repo, community } = setup();
    const ana = phoneOn(repo);
    await ana.phone.boot();
    await ana.phone.join('Ana', community.invite, { pin: '2468', duressPin: '1357' });
    await ana.phone.intents.post({ kind: 'offer', category: 'food', title: 'Public soup', description: 'for all' });
    await ana.phone.intents.post({ kind: 'need', category: 'food', title: 'Members-only rice', description: '', audience: 'trusted' });
    await until(() => ana.phone.board.state.state.intents.length === 2, 'both posts listed');
    ana.phone.stop();

    const forced = phoneOn(repo, ana.local);
    await forced.phone.boot();
    await forced.phone.unlock('1357');
    expect(forced.phone.session.state.state).toMatchObject({ phase: 'ready', decoy: true, me: null });
    expect(forced.phone.board.state.state.intents.map((i) => i.name)).toEqual(['Public soup']);
    expect(forced.phone.library).toBeNull();
    // The real PIN no longer opens anything: the lock record was shredded first.
    const after = phoneOn(repo, ana.local);
    await after.phone.boot();
    await expect(after.phone.unlock('2468')).rejects.toThrow();
  });

  it('Scenario: the dead-man switch wipes a phone not unlocked in time; the wipe destroys the keys first', async () => {
    const { repo, community } = setup();
    const ana = phoneOn(repo);
    await ana.phone.boot();
    await ana.phone.join('Ana', community.invite);
    await ana.phone.session.setDeadMan(24);
    expect(ana.phone.session.state.state.deadManHours).toBe(24);
    await ana.local.settings.set('lastUnlock', Date.now() - 25 * 3600e3);
    ana.phone.stop();

    const later = phoneOn(repo, ana.local);
    await later.phone.boot();
    expect(later.page.wipes).toBe(1);
    expect(await later.phone.vault.kind()).toBe('none');
    expect(await later.phone.vault.get('identity')).toBeUndefined();
  });

  it('Scenario: a key backup restores the same member, with their name and feed, on a new phone', async () => {
    const { repo, community } = setup();
    const ana = phoneOn(repo);
    await ana.phone.boot();
    await ana.phone.join('Ana', community.invite);
    await expect(ana.phone.session.exportBackup('short')).rejects.toThrow('backup.short');
    const backup = await ana.phone.session.exportBackup('correct horse battery');

    const fresh = phoneOn(repo);
    await fresh.phone.boot();
    await expect(fresh.phone.join('', community.invite, { backup: { text: backup, passphrase: 'wrong passphrase' } })).rejects.toBeInstanceOf(UserError);
    await fresh.phone.join('', community.invite, { backup: { text: backup, passphrase: 'correct horse battery' } });
    expect(fresh.phone.session.state.state.me).toEqual(ana.phone.session.state.state.me);
    expect(fresh.phone.docs.feed!.url).toBe(ana.phone.docs.feed!.url);
  });
});
