import { describe, expect, it } from 'vitest';
import { ALERT_AUDIENCE, ALERT_PRIORITY, alertBundleMeta, alertEndpoint, createAlert, createFollowUp, followUpBundleMeta, shouldForward } from '../../../src/core/alerts/index.ts';
import { Audience, Priority, createBundle, isValidEid, priorityOf, audienceOf } from '../../../src/core/dtn/index.ts';
import { HOUR, MIN, NOW, people } from './helpers.ts';

describe('alerts over DTN', () => {
  it('Scenario: alerts travel as emergency bundles that die with the alert', () => {
    const p = people();
    const a = createAlert(p.ana, { kind: 'raid', urgency: 'critical', area: 'n', text: 'raid' }, NOW);
    const meta = alertBundleMeta(a, NOW + HOUR);
    expect(meta).toEqual({ priority: Priority.Emergency, lifetimeMs: 5 * HOUR, audience: Audience.Trusted });
    expect(ALERT_PRIORITY).toBe(0);
    expect(ALERT_AUDIENCE).toBe('trusted');
    const dest = alertEndpoint('c1');
    expect(isValidEid(dest)).toBe(true);
    const b = createBundle({ source: 'dtn://relay-a/', destination: dest, payload: new Uint8Array([1]), creationTimeMs: NOW + HOUR, ...meta! });
    expect(priorityOf(b)).toBe(Priority.Emergency);
    expect(audienceOf(b)).toBe('trusted');
    const fu = createFollowUp(p.ben, a.id, 'on-my-way', NOW + MIN);
    expect(followUpBundleMeta(fu, a, NOW + HOUR)).toEqual(meta);
    expect(followUpBundleMeta({ ...fu, alert: 'other' }, a, NOW + HOUR)).toBeNull();
  });

  it('Scenario: expired alerts are not forwarded', () => {
    const p = people();
    const a = createAlert(p.ana, { kind: 'raid', urgency: 'critical', area: 'n', text: 'raid' }, NOW);
    expect(shouldForward(a, a.expires - 1)).toBe(true);
    expect(shouldForward(a, a.expires)).toBe(false);
    expect(alertBundleMeta(a, a.expires)).toBeNull();
    expect(shouldForward({ ...a, text: 'x'.repeat(281) }, NOW)).toBe(false);
    expect(shouldForward('junk', NOW)).toBe(false);
    expect(shouldForward(a, NOW - 10 * MIN)).toBe(false);
  });
});
