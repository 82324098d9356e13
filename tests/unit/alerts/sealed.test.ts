import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALERT_KINDS,
  URGENCIES,
  alertBundleMeta,
  createAlert,
  createFollowUp,
  followUpBundleMeta,
  isCarriedShape,
  openAlertRecord,
  sealAlertRecord,
  shouldForward,
  type SealedAlert,
} from '../../../src/core/alerts/index.ts';
import { AudienceInputError, addKey, newEpochKey, type Keyring } from '../../../src/core/audience/index.ts';
import { utf8 } from '../../../src/core/crypto/encoding.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import { MAX_ALERT_BYTES } from '../../../relay/alerts.ts';
import { HOUR, MIN, NOW, people } from './helpers.ts';

const ring = (k = newEpochKey(1)): Keyring => addKey(new Map(), k);

// openspec/changes/sealed-records — rapid-response: alerts sealed to the members' key
describe('sealed alerts', () => {
  it('Scenario: an alert leaves the phone sealed; outside it only id, urgency, times and the author key show', () => {
    const p = people();
    const keys = ring();
    const alert = createAlert(p.ana, { kind: 'raid', urgency: 'critical', area: 'north-market', text: 'Police at the blue door' }, NOW);
    const carried = sealAlertRecord(p.ana, alert, keys);
    expect(Object.keys(carried).sort()).toEqual(['author', 'created', 'expires', 'id', 'sealed', 'sig', 'type', 'urgency']);
    const wire = JSON.stringify(carried);
    for (const secret of ['Police', 'blue door', 'north-market', 'raid', alert.sig]) expect(wire).not.toContain(secret);
    expect(openAlertRecord(carried, keys)).toEqual({ ok: true, record: alert });
    // A member without the key (or a stranger) reads nothing, and is told so without an error.
    expect(openAlertRecord(carried, new Map())).toEqual({ ok: false, reason: 'unreadable' });
    expect(openAlertRecord(carried, ring())).toEqual({ ok: false, reason: 'unreadable' });
    // Routing still works on the sealed form: same bundle options as the alert in clear.
    expect(alertBundleMeta(carried, NOW + HOUR)).toEqual(alertBundleMeta(alert, NOW + HOUR));
    expect(shouldForward(carried, alert.expires)).toBe(false);
    const answer = sealAlertRecord(p.ben, createFollowUp(p.ben, alert.id, 'on-my-way', NOW + MIN), keys);
    expect(JSON.stringify(answer)).not.toContain('on-my-way');
    expect(followUpBundleMeta(answer, carried, NOW + HOUR)).toEqual(alertBundleMeta(alert, NOW + HOUR));
    // Without a key nothing can be sealed: the phone keeps the alert in its outbox.
    expect(() => sealAlertRecord(p.ana, alert, new Map())).toThrow(AudienceInputError);
  });

  it('Scenario: routing fields that disagree with the sealed alert, or a forged outer signature, are refused', () => {
    const p = people();
    const keys = ring();
    const alert = createAlert(p.ana, { kind: 'fire', urgency: 'watch', area: 'n', text: 'Smoke' }, NOW);
    const carried = sealAlertRecord(p.ana, alert, keys) as SealedAlert;
    const { sig: _sig, ...outer } = carried;
    // Re-signed by the same author with a louder urgency outside: the inside says otherwise.
    const relabelled = signRecord<SealedAlert>({ ...outer, urgency: 'critical' }, p.ana.signSecretKey);
    expect(openAlertRecord(relabelled, keys)).toEqual({ ok: false, reason: 'mismatch' });
    // Someone else's key around Ana's box: the author outside is not the author inside.
    const stolen = signRecord<SealedAlert>({ ...outer, author: p.stranger.agentId }, p.stranger.signSecretKey);
    expect(openAlertRecord(stolen, keys)).toEqual({ ok: false, reason: 'mismatch' });
    expect(openAlertRecord({ ...carried, expires: carried.expires + 1 }, keys)).toEqual({ ok: false, reason: 'forged-signature' });
    expect(openAlertRecord({ ...carried, sealed: { ...carried.sealed, audience: 'stewards' } }, keys)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('Scenario: any alert fits the relay’s size limit once sealed, and opens to itself (property)', () => {
    const p = people();
    const keys = ring();
    const longest = createAlert(p.ana, { kind: 'other', urgency: 'watch', area: 'a'.repeat(64), text: '🔥'.repeat(280) }, NOW);
    expect(utf8.encode(JSON.stringify(sealAlertRecord(p.ana, longest, keys))).length).toBeLessThanOrEqual(MAX_ALERT_BYTES);
    fc.assert(
      fc.property(
        fc.constantFrom(...ALERT_KINDS),
        fc.constantFrom(...URGENCIES),
        fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s.trim() !== '' && s.trim().length === s.length),
        fc.array(fc.constantFrom('a', 'ñ', '🔥', '👩‍👩‍👧', ' ', '"', '\\'), { minLength: 1, maxLength: 280 }).map((a) => `x${a.join('')}`),
        (kind, urgency, area, raw) => {
          const text = [...raw].slice(0, 280).join('').trim() || 'x';
          const alert = createAlert(p.ana, { kind, urgency, area, text }, NOW);
          const carried = sealAlertRecord(p.ana, alert, keys);
          expect(utf8.encode(JSON.stringify(carried)).length).toBeLessThanOrEqual(MAX_ALERT_BYTES);
          expect(isCarriedShape(carried)).toBe(true);
          expect(openAlertRecord(carried, keys)).toEqual({ ok: true, record: alert });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('Scenario: opening arbitrary junk never throws (property)', () => {
    const keys = ring();
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        expect(openAlertRecord(junk, keys).ok).toBe(false);
        expect(openAlertRecord({ type: 'sealed-alert', sealed: junk }, keys).ok).toBe(false);
      }),
    );
  });
});
