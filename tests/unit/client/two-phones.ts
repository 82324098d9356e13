import { Repo } from '@automerge/automerge-repo';
import { afterEach } from 'vitest';
import type { Identity } from '../../../src/core/crypto/keys.ts';
import { createSetting } from '../../../src/core/model/community-records.ts';
import type { CommunityDoc } from '../../../src/core/model/types.ts';
import { makeCommunity, makePhone, until, type TestPhone } from './harness.ts';

/** The founder (as a hub founds a community) names a member the first organiser, as a hub does for its first member. */
export async function makeOrganiser(repo: Repo, community: { url: string; id: string; founderIdentity?: Identity }, agentId: string, who: TestPhone): Promise<void> {
  const founder = community.founderIdentity!;
  const handle = await repo.find<CommunityDoc>(community.url as never);
  const rec = createSetting(founder.signSecretKey, founder.agentId, community.id, 'stewards', [agentId], Date.now());
  handle.change((d) => {
    d.settings ??= {};
    d.settings[rec.id] = rec;
  });
  await until(() => who.phone.communitySettings.amOrganiser(), 'the member reads themself as an organiser');
}

/**
 * A founder and a newcomer she vouched for, on one in-memory Repo: what most client tests start from.
 * Everything is torn down after each test. Call at the top level of a test file.
 */
export function twoPhoneSuite() {
  const phones: TestPhone[] = [];
  const repos: Repo[] = [];
  afterEach(async () => {
    for (const p of phones.splice(0)) p.phone.stop();
    for (const r of repos.splice(0)) await r.shutdown();
  });
  return {
    /** Another phone on the same repo (e.g. the same storage after a restart). */
    phone(...args: Parameters<typeof makePhone>): TestPhone {
      const p = makePhone(...args);
      phones.push(p);
      return p;
    },
    /** `relay`: the HTTP both phones reach (e.g. memory-relay.ts), none by default; `founded`: see makeCommunity. */
    async founderAndNewcomer(opts: { vouch?: boolean; relay?: Parameters<typeof makePhone>[2]; founded?: boolean } = {}) {
      const repo = new Repo({});
      repos.push(repo);
      const community = makeCommunity(repo, undefined, opts.founded);
      const ana = makePhone(repo, undefined, opts.relay);
      const ben = makePhone(repo, undefined, opts.relay);
      phones.push(ana, ben);
      await ana.phone.boot();
      await ana.phone.join('Ana', community.invite);
      await until(() => ana.phone.community.state.state.invite !== '', "Ana's invite");
      await ben.phone.boot();
      await ben.phone.join('Ben', ana.phone.community.state.state.invite);
      const anaId = ana.phone.session.state.state.me!.agentId;
      const benId = ben.phone.session.state.state.me!.agentId;
      await until(() => ben.phone.trust.state.state.trust !== null && ana.phone.community.state.state.members[benId] === 'Ben', 'both see each other');
      if (opts.vouch !== false) {
        await ana.phone.trust.vouch(ana.phone.trust.readCode(ben.phone.trust.myCode()), 3, 'met at the market');
        await until(() => !!ben.phone.trust.gate('post-offer')?.allowed, "Ben's standing after Ana's vouch");
      }
      return { repo, community, ana, ben, anaId, benId };
    },
  };
}
