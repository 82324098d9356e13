import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { Route } from '../../../src/core/protocol/routes.ts';
import { until } from './harness.ts';
import { makeOrganiser, twoPhoneSuite } from './two-phones.ts';

// openspec/specs/community-settings/spec.md — the hubs list an organiser keeps

const suite = twoPhoneSuite();

/** A hub answering /api/info with `key` as its relay key (what a real hub's info says), nothing else. */
function hubAnswering(key: unknown): typeof fetch {
  return async (input) => {
    const url = String(input);
    if (url.endsWith(Route.info)) return new Response(JSON.stringify({ app: 'solarpunk-mesh', relay: key, communities: [] }), { headers: { 'content-type': 'application/json' } });
    throw new TypeError('fetch failed: only /api/info here');
  };
}

describe('client: the community hubs an organiser keeps', () => {
  it('Scenario: an organiser adds the hub they are connected to and takes it off again; every phone reads the signed list', async () => {
    const hub = createIdentity().agentId; // relay keys are ed25519 keys in the same form
    const { repo, community, ana, ben, anaId } = await suite.founderAndNewcomer({ vouch: false, founded: true, relay: hubAnswering(hub) });
    await makeOrganiser(repo, community, anaId, ana);
    expect(await ana.phone.communitySettings.connectedHub()).toBe(hub);
    expect(ana.phone.community.view().settings.relays).toEqual([]);
    expect(await ana.phone.communitySettings.trustConnectedHub()).toBe(hub);
    await until(() => ben.phone.community.view().settings.relays.includes(hub), 'Ben reads the hub on the signed list');
    // Adding it again changes nothing.
    await ana.phone.communitySettings.trustConnectedHub();
    expect(ana.phone.community.view().settings.relays).toEqual([hub]);
    await ana.phone.communitySettings.stopTrustingHub(hub);
    await until(() => ben.phone.community.view().settings.relays.length === 0, 'Ben reads the hub taken off');
  });

  it('Scenario: a member who is not an organiser cannot change the list, and a hub answering nonsense is not added', async () => {
    const { repo, community, ana, ben, anaId } = await suite.founderAndNewcomer({ vouch: false, founded: true, relay: hubAnswering('not a key') });
    await makeOrganiser(repo, community, anaId, ana);
    await expect(ben.phone.communitySettings.trustConnectedHub()).rejects.toMatchObject({ message: 'error.relayUnreachable' });
    await expect(ana.phone.communitySettings.trustConnectedHub()).rejects.toMatchObject({ message: 'error.relayUnreachable' });
    const hub = createIdentity().agentId;
    await expect(ben.phone.communitySettings.save({ relays: [hub] })).rejects.toMatchObject({ message: 'cs.notOrganiser' });
    expect(ana.phone.community.view().settings.relays).toEqual([]);
  });

  it('Scenario: an organiser’s setting saved right after a start, before the docs are open, waits for them and is kept', async () => {
    const { repo, community, ana, ben, anaId } = await suite.founderAndNewcomer({ vouch: false, founded: true });
    await makeOrganiser(repo, community, anaId, ana);
    ana.phone.stop();
    // A slow phone: the list is up and Settings usable while Automerge is still being compiled.
    let compiled!: () => void;
    const again = suite.phone(repo, ana.local, undefined, undefined, new Promise<void>((r) => (compiled = r)));
    const booted = again.phone.boot();
    await until(() => again.phone.session.state.state.phase === 'ready', 'the list is shown');
    const saved = again.phone.communitySettings.save({ name: 'Riverside commons' });
    compiled();
    expect(await saved).toEqual(['name']);
    await booted;
    await until(() => ben.phone.community.view().settings.name === 'Riverside commons', 'Ben reads the new name');
  });
});
