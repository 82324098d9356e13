import { describe, expect, it } from 'vitest';
import { verifyRecord } from '../../../src/core/crypto/sign.ts';
import { ALERT_LIFETIME_MS, AlertInputError, createAlert, createFollowUp } from '../../../src/core/alerts/index.ts';
import { HOUR, NOW, people } from './helpers.ts';

describe('creating alerts', () => {
  it('Scenario: an alert is signed and expires by default after 6 h, 24 h or 48 h by urgency', () => {
    const { ana } = people();
    const hours = { critical: 6, urgent: 24, watch: 48 } as const;
    for (const urgency of ['critical', 'urgent', 'watch'] as const) {
      const a = createAlert(ana, { kind: 'raid', urgency, area: 'north', text: '  Police at the north square  ' }, NOW);
      expect(a).toMatchObject({ type: 'alert', author: ana.agentId, kind: 'raid', urgency, area: 'north', text: 'Police at the north square', created: NOW });
      expect(a.expires - NOW).toBe(hours[urgency] * HOUR);
      expect(ALERT_LIFETIME_MS[urgency]).toBe(hours[urgency] * HOUR);
      expect(verifyRecord(a)).toBe(true);
    }
    expect(createAlert(ana, { kind: 'fire', urgency: 'urgent', area: 'n', text: 'x', expires: NOW + HOUR }, NOW).expires).toBe(NOW + HOUR);
  });

  it('Scenario: alert text is at most 280 characters', () => {
    const { ana } = people();
    expect(createAlert(ana, { kind: 'other', urgency: 'watch', area: 'n', text: '🔥'.repeat(280) }, NOW).text).toHaveLength(560);
    const code = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return e instanceof AlertInputError ? e.code : 'other-error';
      }
    };
    expect(code(() => createAlert(ana, { kind: 'other', urgency: 'watch', area: 'n', text: 'x'.repeat(281) }, NOW))).toBe('text-too-long');
    expect(code(() => createAlert(ana, { kind: 'other', urgency: 'watch', area: 'n', text: '   ' }, NOW))).toBe('bad-text');
    expect(code(() => createAlert(ana, { kind: 'flood' as never, urgency: 'watch', area: 'n', text: 'x' }, NOW))).toBe('bad-kind');
    expect(code(() => createAlert(ana, { kind: 'other', urgency: 'panic' as never, area: 'n', text: 'x' }, NOW))).toBe('bad-urgency');
    expect(code(() => createAlert(ana, { kind: 'other', urgency: 'watch', area: ' ', text: 'x' }, NOW))).toBe('bad-area');
    expect(code(() => createAlert(ana, { kind: 'other', urgency: 'critical', area: 'n', text: 'x', expires: NOW + 7 * HOUR }, NOW))).toBe('bad-expiry');
    expect(code(() => createAlert(ana, { kind: 'other', urgency: 'critical', area: 'n', text: 'x', expires: NOW }, NOW))).toBe('bad-expiry');
    expect(code(() => createFollowUp(ana, 'a', 'maybe' as never, NOW))).toBe('bad-act');
  });
});
