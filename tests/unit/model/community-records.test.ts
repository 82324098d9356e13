import * as Automerge from '@automerge/automerge';
import { afterEach, describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { forgetGoodSignatures, primeSignatures, useSignatureCheck } from '../../../src/core/crypto/sign.ts';
import { communityRecords, createProfile, memberEntry, newCommunityDoc } from '../../../src/core/model/community.ts';
import { createHubRecord, hubReadsAll } from '../../../src/core/model/hub-record.ts';
import { createFounding, createSetting } from '../../../src/core/model/community-records.ts';
import { defaultSettings } from '../../../src/core/model/community-settings.ts';
import { readCommunity } from '../../../src/core/model/read-community.ts';
import { scalarRecord } from '../../../src/core/model/scalar-strings.ts';
import type { CommunityDoc } from '../../../src/core/model/types.ts';
import { nodeSignatureCheck } from '../../../relay/ed25519.ts';

afterEach(() => useSignatureCheck(undefined));

describe('a community doc checked in one batch', () => {
  it('Scenario: after the batch check, reading the community checks no signature one by one', async () => {
    const founder = createIdentity();
    const ana = createIdentity();
    const hub = createIdentity();
    const now = 1_700_000_000_000;
    const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
    const founding = createFounding(founder.signSecretKey, founder.agentId, 'c1', defaultSettings('Huerta'), now);
    const setting = createSetting(founder.signSecretKey, founder.agentId, 'c1', 'name', 'Huerta Norte', now + 1);
    const doc = Automerge.change(Automerge.from(plain(newCommunityDoc('c1', 'Huerta', '', now)) as unknown as Record<string, unknown>) as unknown as Automerge.Doc<CommunityDoc>, (d) => {
      d.founding = plain(founding);
      d.settings = { [setting.id]: plain(setting) };
      // The hub's record of what it reads: the phone checks it before it writes its member entry.
      d.hubs = { [hub.agentId]: scalarRecord(plain(createHubRecord(hub.signSecretKey, hub.agentId, 'c1', now))) };
      d.members[founder.agentId] = plain(memberEntry(founder, createProfile(founder, 'Fundadora', now), 'c1', 'automerge:f', now));
      // A member written the way the next version will store it: checked in the batch too.
      d.members[ana.agentId] = scalarRecord(plain(memberEntry(ana, createProfile(ana, 'Ana', now), 'c1', 'automerge:a', now)));
    });
    forgetGoodSignatures();
    const native = nodeSignatureCheck();
    expect(await primeSignatures(communityRecords(doc), async (m, s, k) => native(m, s, k))).toBe(7); // 2 entries, 2 profiles, founding, setting, hub record
    let oneByOne = 0;
    useSignatureCheck((m, s, k) => {
      oneByOne++;
      return native(m, s, k);
    });
    const view = readCommunity(doc);
    expect(view.settings.name).toBe('Huerta Norte');
    expect(Object.keys(view.members).sort()).toEqual([founder.agentId, ana.agentId].sort());
    expect(hubReadsAll(doc, hub.agentId, 'c1')).toBe(true);
    expect(oneByOne).toBe(0);
  });
});
