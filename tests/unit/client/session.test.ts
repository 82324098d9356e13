import { Repo } from '@automerge/automerge-repo';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/client/errors.ts';
import { memoryStore } from '../../../src/client/memory-store.ts';
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
    await later.phone.session.lockNow();
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
    expect(forced.phone.session.state.state).toMatchObject({ phase: 'ready', decoy: true });
    // The decoy has keys of its own (from the duress PIN), never the person's.
    expect(forced.phone.session.state.state.me?.agentId).not.toBe(ana.phone.session.state.state.me?.agentId);
    expect(forced.phone.board.state.state.intents.map((i) => i.name)).toEqual(['Public soup']);
    expect(forced.phone.library).toBeNull();
    // The real PIN no longer opens anything: the lock record was shredded first.
    const after = phoneOn(repo, ana.local);
    await after.phone.boot();
    await expect(after.phone.unlock('2468')).rejects.toThrow();
  });

  it('Scenario: a duress PIN set in Settings shows the person\'s name and community in the decoy, over other keys', async () => {
    const { repo, community } = setup();
    const ana = phoneOn(repo);
    await ana.phone.boot();
    await ana.phone.join('Ana', community.invite, { pin: '2468' });
    await until(() => !!ana.phone.community.state.state.communityName, 'community name read');
    await ana.phone.setPin('2468', '1357');
    const realName = ana.phone.community.state.state.communityName;
    ana.phone.stop();

    const forced = phoneOn(repo, ana.local);
    await forced.phone.boot();
    await forced.phone.unlock('1357');
    expect(forced.phone.session.state.state.me?.name).toBe('Ana');
    expect(forced.phone.community.state.state.communityName).toBe(realName);
    expect(forced.phone.community.state.state.invite).toMatch(/^spm-invite:/);
    expect(forced.phone.session.state.state.me?.agentId).not.toBe(ana.phone.session.state.state.me?.agentId);
  });

  it('Scenario: a join started while the phone is still starting ends with the phone in, and a restart finds it', async () => {
    const { repo, community } = setup();
    // A first visit: the questions were answered before the client's code had even started the phone.
    const first = phoneOn(repo);
    const booted = first.phone.boot();
    const joined = first.phone.join('Ana', community.invite);
    await Promise.all([booted, joined]);
    expect(first.phone.session.state.state).toMatchObject({ phase: 'ready', lockKind: 'device', me: { name: 'Ana' } });
    const again = phoneOn(repo, first.local);
    await again.phone.boot();
    expect(again.phone.session.state.state).toMatchObject({ phase: 'ready', me: { name: 'Ana' } });
  });

  it('Scenario: a join tapped before anything started the phone starts it first, and the later start leaves the phone in', async () => {
    const { repo, community } = setup();
    // The first question answered and tapped before main.ts got to start the phone (a fast tap on a slow
    // link), on a slow disk: the join's write of who I am lands only after main.ts's start has asked for
    // it, and that read's answer (nobody yet) comes back only once the join is through.
    const local = memoryStore();
    let written!: () => void;
    const disk = new Promise<void>((resolve) => (written = resolve));
    const setMany = local.settings.setMany.bind(local.settings);
    local.settings.setMany = async (rows) => (await disk, setMany(rows));
    const first = phoneOn(repo, local);
    const get = local.settings.get.bind(local.settings);
    local.settings.get = async <T,>(key: string) => {
      const value = await get<T>(key);
      if (!key.endsWith('identity') || value !== undefined) return value;
      written();
      await until(() => first.phone.session.state.state.phase === 'ready', 'the join is through');
      return value;
    };
    const joined = first.phone.join('Ana', community.invite);
    await until(() => !!first.phone.vault.dek, 'the join made the lock');
    const booted = first.phone.boot();
    void booted.then(written); // a start that never asks still lets the write land
    await Promise.all([joined, booted]);
    // In, and never sent back to the first question.
    expect(first.phone.session.state.state).toMatchObject({ phase: 'ready', lockKind: 'device', me: { name: 'Ana' } });
    await first.phone.boot();
    expect(first.phone.session.state.state).toMatchObject({ phase: 'ready', me: { name: 'Ana' } });
  });

  it('Scenario: a post made right after a start, before the docs are open, waits for them and is kept', async () => {
    const { repo, community } = setup();
    const first = phoneOn(repo);
    await first.phone.boot();
    await first.phone.join('Ana', community.invite);
    first.phone.stop();
    // A slow phone: the list is up and the form usable while Automerge is still being compiled.
    let compiled!: () => void;
    const again = phoneOn(repo, first.local, undefined, undefined, new Promise<void>((r) => (compiled = r)));
    const booted = again.phone.boot();
    await until(() => again.phone.session.state.state.phase === 'ready', 'the list is shown');
    const posted = again.phone.intents.post({ kind: 'offer', category: 'food', title: 'Early bread', description: '' });
    compiled();
    const bread = await posted;
    await booted;
    expect(Object.values(again.phone.docs.feed?.doc()?.intents ?? {}).map((i) => i.name)).toContain('Early bread');
    expect(bread.name).toBe('Early bread');
  });

  it('Scenario: a vouch made right after a start, before the docs are open, waits for them and is kept', async () => {
    const { repo, community } = setup();
    const first = phoneOn(repo);
    await first.phone.boot();
    await first.phone.join('Ana', community.invite);
    const ben = phoneOn(repo);
    await ben.phone.boot();
    await ben.phone.join('Ben', community.invite);
    const card = first.phone.trust.readCode(ben.phone.trust.myCode());
    first.phone.stop();
    let compiled!: () => void;
    const again = phoneOn(repo, first.local, undefined, undefined, new Promise<void>((r) => (compiled = r)));
    const booted = again.phone.boot();
    await until(() => again.phone.session.state.state.phase === 'ready', 'the list is shown');
    const vouched = again.phone.trust.vouch(card, 2, '');
    compiled();
    const vouch = await vouched;
    await booted;
    expect(Object.keys(again.phone.docs.feed?.doc()?.vouches ?? {})).toContain(vouch.id);
  });

  it('Scenario: wrong PINs are counted on disk: after three the next try waits, even after a restart', async () => {
    const { repo, community } = setup();
    const ana = phoneOn(repo);
    await ana.phone.boot();
    await ana.phone.join('Ana', community.invite, { pin: '2468' });
    ana.phone.stop();
    const locked = phoneOn(repo, ana.local);
    await locked.phone.boot();
    for (const pin of ['0000', '1111']) await expect(locked.phone.unlock(pin)).rejects.toThrow('lock.wrong');
    await expect(locked.phone.unlock('2222')).rejects.toThrow('lock.wrongWait');
    await expect(locked.phone.unlock('2468')).rejects.toThrow('lock.wait');
    const restarted = phoneOn(repo, ana.local);
    await restarted.phone.boot();
    await expect(restarted.phone.unlock('2468')).rejects.toThrow('lock.wait');
    // Once the wait has passed (the stored time moved back), the right PIN opens and the count is cleared.
    await ana.local.settings.set('pinFailures', { count: 3, last: Date.now() - 31_000 });
    await restarted.phone.unlock('2468');
    expect(await restarted.phone.session.pinFailures()).toEqual({ count: 0, last: 0 });
  });

  it('Scenario: the opt-in wipe after N wrong PINs wipes at the Nth', async () => {
    const { repo, community } = setup();
    const ana = phoneOn(repo);
    await ana.phone.boot();
    await ana.phone.join('Ana', community.invite, { pin: '2468' });
    await ana.phone.session.setWipeAfterWrong(5);
    ana.phone.stop();
    const locked = phoneOn(repo, ana.local);
    await locked.phone.boot();
    await ana.local.settings.set('pinFailures', { count: 4, last: Date.now() - 3_600_000 });
    await expect(locked.phone.unlock('0000')).rejects.toThrow('lock.wrong');
    expect(locked.page.wipes).toBe(1);
    expect(await locked.phone.vault.kind()).toBe('none');
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
    const backup = await ana.phone.exportBackup('correct horse battery');

    const fresh = phoneOn(repo);
    await fresh.phone.boot();
    await expect(fresh.phone.join('', community.invite, { backup: { text: backup, passphrase: 'wrong passphrase' } })).rejects.toBeInstanceOf(UserError);
    await fresh.phone.join('', community.invite, { backup: { text: backup, passphrase: 'correct horse battery' } });
    expect(fresh.phone.session.state.state.me).toEqual(ana.phone.session.state.state.me);
    expect(fresh.phone.docs.feed!.url).toBe(ana.phone.docs.feed!.url);
    // Where Ana stood comes back with her: the same anchors and founding, so the same standing.
    expect(fresh.phone.trust.perspective).toEqual(ana.phone.trust.perspective);
  });
});
