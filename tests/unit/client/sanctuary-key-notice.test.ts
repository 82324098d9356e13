import { describe, expect, it } from 'vitest';
import { sanctuaryKeyNotice } from '../../../src/client/sanctuary-key-notice.ts';
import type { SanctuaryView } from '../../../src/client/sanctuary.ts';

const view = (v: Partial<SanctuaryView>): SanctuaryView => ({
  exists: true, tier: 'trusted', checkInDays: 30, epochs: [1], latestEpoch: 1, entries: [], readable: 0, rejected: 0, missingKey: 0,
  stewards: [], rotations: 0, organiser: false, canSee: true, canPrint: false, ...v,
});

describe('client: what a member who cannot read the sanctuary is told', () => {
  it('Scenario: a member who may see the sanctuary but holds no key yet is told an organiser’s phone brings it; one missing an older key is told so too', () => {
    expect(sanctuaryKeyNotice(view({ epochs: [] }))).toBe('waiting');
    expect(sanctuaryKeyNotice(view({ epochs: [2], missingKey: 3 }))).toBe('older-key');
    // Nothing to say: I read everything, the list does not exist, or the gate (which says why) keeps me out.
    expect(sanctuaryKeyNotice(view({}))).toBeNull();
    expect(sanctuaryKeyNotice(view({ exists: false, epochs: [] }))).toBeNull();
    expect(sanctuaryKeyNotice(view({ canSee: false, epochs: [] }))).toBeNull();
    expect(sanctuaryKeyNotice(null)).toBeNull();
  });
});
