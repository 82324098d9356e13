import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAlert, createFollowUp, earnsEmergency, sealAlertRecord } from '../../../src/core/alerts/index.ts';
import { MAX_CARRIED_ALERT_BYTES } from '../../../src/core/alerts/emergency.ts';
import { addKey, newEpochKey, type Keyring } from '../../../src/core/audience/index.ts';
import { utf8 } from '../../../src/core/crypto/encoding.ts';
import { can } from '../../../src/core/trust/can.ts';
import { HOUR, MIN, NOW, people } from './helpers.ts';

// openspec/changes/received-priority-by-peer — which carried alert records earn emergency priority on a relay.
const keys: Keyring = addKey(new Map(), newEpochKey(1));
const bytes = (v: unknown) => utf8.encode(JSON.stringify(v));
const input = { kind: 'raid' as const, urgency: 'critical' as const, area: 'n', text: 'raid at the market' };

describe('alerts: what a relay carries at emergency priority', () => {
  it('Scenario: a relay keeps a carried alert at emergency only when a member allowed to raise alerts signed it', () => {
    const p = people();
    const alert = sealAlertRecord(p.ana, createAlert(p.ana, input, NOW), keys);
    const answer = sealAlertRecord(p.ben, createFollowUp(p.ben, alert.id, 'on-my-way', NOW + MIN), keys);
    const asked: Array<[string, string]> = [];
    // The community's own gate (core/trust/can.ts): trusted members raise and answer alerts.
    const raisers = (author: string, action: 'raise-alert' | 'see-alerts') => (asked.push([author, action]), can(p.trust, author, action).allowed);
    expect(earnsEmergency(bytes(alert), NOW + MIN, raisers)).toBe(true);
    expect(earnsEmergency(bytes(answer), NOW + MIN, raisers)).toBe(true);
    expect(asked).toEqual([
      [p.ana.agentId, 'raise-alert'],
      [p.ben.agentId, 'see-alerts'],
    ]);
    // A member the gate does not allow yet (vouched, not trusted), a stranger, or a community this relay cannot judge.
    for (const who of [p.vouched, p.stranger]) expect(earnsEmergency(bytes(sealAlertRecord(who, createAlert(who, input, NOW), keys)), NOW + MIN, raisers)).toBe(false);
    expect(earnsEmergency(bytes(alert), NOW + MIN, () => false)).toBe(false);
    // Re-labelled, unsigned, expired, from the future, in clear, too large or not JSON: never.
    expect(earnsEmergency(bytes({ ...alert, urgency: 'watch' }), NOW + MIN, raisers)).toBe(false);
    expect(earnsEmergency(bytes({ ...alert, sig: undefined }), NOW + MIN, raisers)).toBe(false);
    expect(earnsEmergency(bytes(alert), alert.expires, raisers)).toBe(false);
    expect(earnsEmergency(bytes(alert), NOW - HOUR, raisers)).toBe(false);
    expect(earnsEmergency(bytes(createAlert(p.ana, input, NOW)), NOW + MIN, raisers)).toBe(false);
    expect(earnsEmergency(bytes({ ...alert, pad: 'x'.repeat(MAX_CARRIED_ALERT_BYTES) }), NOW + MIN, raisers)).toBe(false);
    expect(earnsEmergency(new Uint8Array([0x7b, 0xff]), NOW + MIN, raisers)).toBe(false);
  });

  it('Scenario: no payload a stranger makes up earns emergency, whoever the gate lets through', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 512 }), fc.jsonValue().map(bytes)), (payload) => {
        expect(earnsEmergency(payload, NOW, () => true)).toBe(false);
      }),
    );
  });
});
