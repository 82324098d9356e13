import type { AutomergeUrl } from '@automerge/automerge-repo';
import { describe, expect, it } from 'vitest';
import type { CommunityDoc, SanctuaryDoc } from '../../src/core/model/types.ts';
import { findEventually } from '../../src/platform/find-eventually.ts';
import { dtnStatus } from '../helpers/dtn-status.ts';
import { relaySuite } from '../helpers/relay-suite.ts';

// openspec/specs/sanctuary/spec.md — the sealed sanctuary doc is carried between islands like a feed
const t = relaySuite();
const { relay, phone } = t;

describe('sanctuary doc replication', () => {
  it('Scenario: the sanctuary doc named in the community doc reaches the other island', async () => {
    // A's community names B's relay key: change-sets are sealed to the relays a community names.
    const bKey = await t.presetKey();
    const a = await relay('island-a', ['--community-relay', bKey.key]);
    const pa = phone(a);
    const url = await pa.communityUrl();
    const community = await pa.join('Ana', url);
    const sanctuary = pa.repo.create<SanctuaryDoc>({ type: 'sanctuary', community: community.doc().id, entries: {}, verifications: {} } as unknown as SanctuaryDoc);
    sanctuary.change((d) => {
      (d.entries as Record<string, unknown>)['e1'] = { type: 'sanctuary-entry', id: 'e1', ct: 'c2VhbGVk' };
    });
    community.change((d) => {
      (d as CommunityDoc).sanctuary = { type: 'sanctuary-settings', url: sanctuary.url, tier: 'trusted', checkInDays: 30, updated: Date.now(), author: pa.me.agentId, sig: 'x' };
    });
    const b = await relay('island-b', ['--join', url, '--peer', `127.0.0.1:${(await dtnStatus(a.url)).tcpclPort}`], bKey.dataDir);
    // A member on island B (the community arrives with the first contact; joining waits for it).
    const pb = phone(b);
    await pb.join('Beto', url);
    await expect
      .poll(async () => {
        const h = await findEventually<SanctuaryDoc>(pb.repo, sanctuary.url as AutomergeUrl).catch(() => undefined);
        return Object.keys(h?.doc()?.entries ?? {});
      }, { timeout: 30_000 })
      .toEqual(['e1']);
  });
});
