import { describe, expect, it } from 'vitest';
import {
  CLOCK_SKEW_MS,
  DEFAULT_CHECK_IN_PERIOD_MS,
  checkInDue,
  createVerification,
  visibleEntries,
  type DecryptedEntry,
} from '../../../src/core/sanctuary/index.ts';
import { community, DAY, NOW, plain } from './helpers.ts';

function decrypted(author: string, over: Partial<DecryptedEntry['entry']> = {}, id = 'entry-1'): DecryptedEntry {
  return { id, author, epoch: 1, created: NOW - 200 * DAY, updated: NOW - 200 * DAY, entry: plain(over) };
}

describe('in-person verification', () => {
  it('Scenario: an entry is verified when two different stewards visited it within 90 days', () => {
    const c = community();
    const e = decrypted(c.s1.id.agentId);
    const v1 = createVerification(c.s2.id, e.id, NOW - 10 * DAY);
    const v2 = createVerification(c.s3.id, e.id, NOW - 80 * DAY);
    const [shown] = visibleEntries([e], [v1, v2], NOW, { ctx: c.ctx() }).entries;
    expect(shown.verified).toBe(true);
    expect(shown.verifiedBy).toEqual([c.s2.id.agentId, c.s3.id.agentId].sort());
    expect(shown.lastCheckIn).toBe(NOW - 10 * DAY);
    expect(shown.flag).toBeNull();
  });

  it('Scenario: one steward visiting twice, or the author writing it, is not two verifications', () => {
    const c = community();
    const e = decrypted(c.s1.id.agentId);
    const twice = [createVerification(c.s2.id, e.id, NOW - 2 * DAY), createVerification(c.s2.id, e.id, NOW - DAY)];
    const [shown] = visibleEntries([e], twice, NOW, { ctx: c.ctx() }).entries;
    expect(shown.verified).toBe(false);
    expect(shown.verifiedBy).toEqual([c.s2.id.agentId]);
  });

  it('Scenario: a visit older than 90 days no longer counts', () => {
    const c = community();
    const e = decrypted(c.s1.id.agentId);
    const vs = [createVerification(c.s2.id, e.id, NOW - 5 * DAY), createVerification(c.s3.id, e.id, NOW - 91 * DAY)];
    const [shown] = visibleEntries([e], vs, NOW, { ctx: c.ctx() }).entries;
    expect(shown.verified).toBe(false);
    const [atBoundary] = visibleEntries([e], vs, NOW - DAY, { ctx: c.ctx() }).entries;
    expect(atBoundary.verified).toBe(true);
  });

  it('Scenario: verifications by non-stewards, forged or from the future are ignored and reported', () => {
    const c = community();
    const e = decrypted(c.s1.id.agentId);
    const byTrusted = createVerification(c.trusted.id, e.id, NOW - DAY);
    const forged = { ...createVerification(c.s3.id, e.id, NOW - DAY), at: NOW - 2 * DAY };
    const future = createVerification(c.s3.id, e.id, NOW + CLOCK_SKEW_MS + 1);
    const good = createVerification(c.s2.id, e.id, NOW - DAY);
    const { entries, rejected } = visibleEntries([e], [byTrusted, forged, future, good, 'junk'], NOW, { ctx: c.ctx() });
    expect(entries[0].verifiedBy).toEqual([c.s2.id.agentId]);
    expect(entries[0].verified).toBe(false);
    const reasons = Object.fromEntries(rejected.map((r) => [r.id, r.reason]));
    expect(reasons).toEqual({ [byTrusted.id]: 'author-not-steward', [forged.id]: 'forged-signature', [future.id]: 'future', '?': 'malformed' });
  });

  it('Scenario: entries not visited within the check-in period are flagged check-in-due', () => {
    const c = community();
    const e = decrypted(c.s1.id.agentId);
    const never = visibleEntries([e], [], NOW, { ctx: c.ctx() }).entries[0];
    expect(never).toMatchObject({ lastCheckIn: null, flag: 'check-in-due', verified: false });
    const recent = createVerification(c.s2.id, e.id, NOW - 29 * DAY);
    expect(visibleEntries([e], [recent], NOW, { ctx: c.ctx() }).entries[0].flag).toBeNull();
    const old = createVerification(c.s2.id, e.id, NOW - 31 * DAY);
    expect(visibleEntries([e], [old], NOW, { ctx: c.ctx() }).entries[0].flag).toBe('check-in-due');
    expect(visibleEntries([e], [old], NOW, { ctx: c.ctx(), checkInPeriodMs: 45 * DAY }).entries[0].flag).toBeNull();
    expect(DEFAULT_CHECK_IN_PERIOD_MS).toBe(30 * DAY);
    expect(checkInDue(NOW - 30 * DAY, NOW)).toBe(false);
    expect(checkInDue(NOW - 30 * DAY - 1, NOW)).toBe(true);
  });

  it('Scenario: entries past their expiry are hidden', () => {
    const c = community();
    const live = decrypted(c.s1.id.agentId, { expires: NOW + 1 }, 'a');
    const gone = decrypted(c.s1.id.agentId, { expires: NOW }, 'b');
    expect(visibleEntries([live, gone], [], NOW, { ctx: c.ctx() }).entries.map((e) => e.id)).toEqual(['a']);
  });

  it('Scenario: the listing order is the same on every replica', () => {
    const c = community();
    const a = decrypted(c.s1.id.agentId, { kind: 'legal', area: 'south' }, 'x1');
    const b = decrypted(c.s1.id.agentId, { kind: 'food', area: 'north' }, 'x2');
    const d = decrypted(c.s1.id.agentId, { kind: 'food', area: 'east' }, 'x3');
    const one = visibleEntries([a, b, d], [], NOW, { ctx: c.ctx() }).entries.map((e) => e.id);
    const two = visibleEntries([d, a, b], [], NOW, { ctx: c.ctx() }).entries.map((e) => e.id);
    expect(one).toEqual(['x3', 'x2', 'x1']);
    expect(two).toEqual(one);
  });
});
