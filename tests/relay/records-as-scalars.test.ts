import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isImmutableString } from '@automerge/automerge/slim';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../helpers/cleanups.ts';
import { createIdentity } from '../../src/core/crypto/keys.ts';
import { createIntent } from '../../src/core/model/intent.ts';
import { FEED_MAPS } from '../../src/core/model/restore.ts';
import { scalarRecord } from '../../src/core/model/scalar-strings.ts';
import { nodeClientPhone } from '../helpers/client-platform.ts';
import { anaAndBen, joinRetrying } from '../helpers/client-pair.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { waitFor } from '../helpers/wait-for.ts';

const cleanups = cleanupAfterEach();
const track = (p: ReturnType<typeof nodeClientPhone>) => cleanups.push(() => p.close().catch(() => undefined));
const started = async (opts: Parameters<typeof startRelayProcess>[0]): Promise<RelayProcess> => {
  const r = await startRelayProcess(opts);
  cleanups.push(() => r.cleanup());
  return r;
};

/**
 * Public records stored as Automerge scalars (openspec/specs/write-rights). First, every form a reader may
 * meet: Ben's phone rewrites its member entry and every record of its feed as scalars, signatures untouched
 * (they cover the values, not how they are stored), and adds a post that was never text; everything a
 * person would notice must stay as it was. Then when phones write them: once every hub has said it reads them.
 */
describe('records stored as scalars, read by this version', () => {
  it('Scenario: a member whose entry and posts a newer phone stored as scalars is listed, read, messaged and let in', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'spm-scalars-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    let relay = await started({ dataDir, args: ['--node-name', 'scalars'] });
    const { ana, ben, anaId, benId } = await anaAndBen(relay.url, track, { ana: 'Ana Lucía', ben: 'Benjamín' });
    await ana.phone.trust.vouch(ana.phone.trust.readCode(ben.phone.trust.myCode()), 3, 'neighbour');
    await waitFor(() => !!ben.phone.trust.gate('post-offer')?.allowed, "Ana's vouch reaches Ben's phone");
    await ben.phone.intents.post({ kind: 'offer', category: 'food', title: 'Sourdough loaves', description: 'Collect from the back door' });
    await waitFor(() => ana.phone.board.state.state.intents.some((i) => i.name === 'Sourdough loaves'), "Ben's offer is listed on Ana's phone");

    const community = ben.phone.docs.community!;
    const feed = ben.phone.docs.feed!;
    const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
    const entry = copy(community.doc().members[benId]);
    community.change((d) => {
      d.members[benId] = scalarRecord(entry);
    });
    const records = copy(feed.doc()) as unknown as Record<string, Record<string, unknown>>;
    // And one offer that was never text: no reader can fall back on an older version of it.
    const fresh = createIntent(ben.phone.session.me!, { kind: 'offer', category: 'tools', title: 'Ladder to lend', description: 'Three metres' }, Date.now());
    feed.change((d) => {
      const maps = d as unknown as Record<string, Record<string, unknown>>;
      for (const m of FEED_MAPS) for (const [k, r] of Object.entries(records[m] ?? {})) maps[m][k] = scalarRecord(r);
      d.intents[fresh.id] = scalarRecord(fresh);
    });
    // The rewrite really stored scalars (a test that rewrote nothing would pass below for nothing).
    expect(isImmutableString(community.doc().members[benId].profile.name)).toBe(true);
    expect(Object.values(feed.doc().intents).every((i) => isImmutableString(i.name) && isImmutableString(i.sig))).toBe(true);
    await waitFor(() => ben.phone.sync.state.state.pending === 0, "the relay took Ben's rewritten docs");

    // Ana's phone, which read them as text, reads them the same after the rewrite arrives.
    await waitFor(() => ana.phone.docs.community?.doc()?.members[benId] !== undefined && isImmutableString(ana.phone.docs.community.doc().members[benId].sig), 'the rewrite reaches Ana');
    expect(ana.phone.community.state.state.members[benId]).toBe('Benjamín');
    expect(ana.phone.board.state.state.intents.find((i) => i.name === 'Sourdough loaves')?.note).toBe('Collect from the back door');
    await waitFor(() => ana.phone.board.state.state.intents.some((i) => i.name === 'Ladder to lend' && i.note === 'Three metres'), 'the offer first written as scalars is listed');
    expect(ana.phone.community.state.state.rejected).toBe(0);
    await ana.phone.messages.sendTo(benId, 'Is there bread left?');
    await waitFor(() => ben.phone.messagesState.state.conversations.some((c) => c.peer === anaId && c.unread === 1), 'Ben reads Ana’s message, sealed to the key in his scalar profile');

    // A newcomer reads the community for the first time with the entry and posts in that form.
    const cai = nodeClientPhone(relay.url);
    track(cai);
    await cai.phone.boot();
    await joinRetrying(cai.phone, 'Caridad', ana.phone.community.state.state.invite);
    await waitFor(() => cai.phone.community.state.state.members[benId] === 'Benjamín', 'the newcomer sees Ben in the directory');
    await waitFor(() => ['Sourdough loaves', 'Ladder to lend'].every((t) => cai.phone.board.state.state.intents.some((i) => i.name === t)), "the newcomer sees Ben's offers");

    // The relay, restarted, reads Ben's scalar entry as his membership: his phone is let back in and writes.
    await relay.stop();
    relay = await started({ dataDir, port: relay.port, args: ['--node-name', 'scalars'] });
    await ben.phone.intents.post({ kind: 'offer', category: 'food', title: 'Rye after the restart', description: '' });
    await waitFor(() => ana.phone.board.state.state.intents.some((i) => i.name === 'Rye after the restart'), "Ben's post after the restart reaches Ana through the relay");
  });

  it('Scenario: phones store their entries and posts as scalars once every hub reads them; naming a hub that has not said so keeps them text', async () => {
    const relay = await started({ args: ['--node-name', 'scalar-writers'] });
    const { ana, ben, anaId, benId } = await anaAndBen(relay.url, track, { ana: 'Ana Lucía', ben: 'Benjamín' });
    await ana.phone.trust.vouch(ana.phone.trust.readCode(ben.phone.trust.myCode()), 3, 'neighbour');
    await waitFor(() => !!ben.phone.trust.gate('post-offer')?.allowed, "Ana's vouch reaches Ben's phone");
    await ben.phone.intents.post({ kind: 'offer', category: 'food', title: 'Leeks', description: 'From the allotment' });
    await waitFor(() => ana.phone.board.state.state.intents.some((i) => i.name === 'Leeks' && i.note === 'From the allotment'), "Ben's offer is listed on Ana's phone");
    // The hub said it reads them, so Ben's phone stored his entry, Ana's vouch and the offer as scalars.
    const leeks = () => Object.values(ben.phone.docs.feed!.doc().intents).find((i) => String(i.name) === 'Leeks')!;
    expect(isImmutableString(leeks().sig)).toBe(true);
    expect(isImmutableString(ben.phone.docs.community!.doc().members[benId].profile.name)).toBe(true);
    expect(Object.values(ana.phone.docs.feed!.doc().vouches).every((v) => isImmutableString(v.sig))).toBe(true);
    expect(ana.phone.community.state.state.members[benId]).toBe('Benjamín');

    // The organisers name a second hub that has not said so (one of the version before): text again.
    await waitFor(() => !!ana.phone.community.signed?.stewards.includes(anaId), 'the hub appoints Ana organiser');
    const older = createIdentity().agentId;
    await ana.phone.communitySettings.save({ relays: [...ana.phone.community.signed!.settings.relays, older] });
    await waitFor(() => !!ben.phone.community.signed?.settings.relays.includes(older), "the new hub list reaches Ben's phone");
    await ben.phone.intents.post({ kind: 'offer', category: 'food', title: 'Onions', description: '' });
    await waitFor(() => ana.phone.board.state.state.intents.some((i) => i.name === 'Onions'), "Ben's second offer is listed on Ana's phone");
    const onions = Object.values(ben.phone.docs.feed!.doc().intents).find((i) => String(i.name) === 'Onions')!;
    expect(typeof onions.sig).toBe('string');
  });
});
