import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { createFounding, createSettingAs, type SettingRecord } from '../../../src/core/model/community-records.ts';
import { defaultSettings } from '../../../src/core/model/community-settings.ts';
import { readCommunity } from '../../../src/core/model/read-community.ts';
import type { CommunityDoc } from '../../../src/core/model/types.ts';

// openspec/changes/open-join-by-setting/specs/island-sync/spec.md — open join is an organiser's later, signed choice.
const NOW = 1_700_000_000_000;
const founder = createIdentity();
const member = createIdentity();

function openJoin(records: SettingRecord[], foundedOpen: boolean): boolean {
  // Founding records made before hubs enforced the setting all said `openJoin: true` (the old default).
  const founding = createFounding(founder.signSecretKey, founder.agentId, 'c1', { ...defaultSettings('Town'), openJoin: foundedOpen }, NOW);
  const doc: Partial<CommunityDoc> = { id: 'c1', founding, settings: Object.fromEntries(records.map((r) => [r.id, r])), members: {} };
  return readCommunity(doc, undefined, founder.agentId).settings.openJoin;
}

describe('the community’s open join setting', () => {
  it('Scenario: a founding record’s open join (the old default) does not open a community; an organiser’s signed record does, and a later one closes it', () => {
    expect(defaultSettings('Town').openJoin).toBe(false);
    expect(openJoin([], true)).toBe(false);
    expect(openJoin([createSettingAs(member, 'c1', 'openJoin', true, NOW + 1)], true)).toBe(false);
    const on = createSettingAs(founder, 'c1', 'openJoin', true, NOW + 1);
    expect(openJoin([on], false)).toBe(true);
    expect(openJoin([on, createSettingAs(founder, 'c1', 'openJoin', false, NOW + 2)], true)).toBe(false);
  });
});
