import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import { acceptAlerts, alertBoard, alertState, createAlert, createFollowUp, type Alert } from '../../../src/core/alerts/index.ts';
import { HOUR, MIN, NOW, people } from './helpers.ts';

function critical(p: ReturnType<typeof people>, by = p.ana): Alert {
  return createAlert(by, { kind: 'raid', urgency: 'critical', area: 'north', text: 'Raid at the north square' }, NOW);
}

describe('alert acceptance and the trust gate', () => {
  it('Scenario: alerts by members below the trust gate are ignored with a reason', () => {
    const p = people();
    const good = critical(p);
    const byVouched = critical(p, p.vouched);
    const byStranger = critical(p, p.stranger);
    const forged = { ...critical(p, p.ben), text: 'changed' };
    const { alerts, ignored } = acceptAlerts([good, byVouched, byStranger, forged, { type: 'alert' }], NOW, p.trust);
    expect(alerts.map((a) => a.id)).toEqual([good.id]);
    const reasons = Object.fromEntries(ignored.map((i) => [i.id, i.reason]));
    expect(reasons).toEqual({ [byVouched.id]: 'below-trust-gate', [byStranger.id]: 'below-trust-gate', [forged.id]: 'forged-signature', '?': 'malformed' });
  });

  it('Scenario: an alert dated in the future or living longer than its urgency allows is ignored', () => {
    const p = people();
    const future = createAlert(p.ana, { kind: 'fire', urgency: 'watch', area: 'n', text: 'smoke' }, NOW + 10 * MIN);
    const { ignored } = acceptAlerts([future], NOW, p.trust);
    expect(ignored).toEqual([{ id: future.id, reason: 'from-future' }]);
    expect(acceptAlerts([future], NOW + 10 * MIN, p.trust).alerts).toHaveLength(1);
    const { sig: _s, ...body } = critical(p);
    const forever = signRecord<Alert>({ ...body, expires: NOW + 7 * HOUR }, p.ana.signSecretKey);
    const backwards = signRecord<Alert>({ ...body, id: 'b', expires: NOW }, p.ana.signSecretKey);
    expect(acceptAlerts([forever, backwards], NOW, p.trust).ignored).toEqual([
      { id: 'b', reason: 'bad-expiry' },
      { id: forever.id, reason: 'bad-expiry' },
    ].sort((x, y) => (x.id < y.id ? -1 : 1)));
  });
});

describe('alert state', () => {
  it('Scenario: a critical alert confirmed by a second trusted member within 5 minutes stays critical', () => {
    const p = people();
    const a = critical(p);
    const confirm = createFollowUp(p.ben, a.id, 'confirm', NOW + 4 * MIN);
    const s = alertState(a, [confirm], NOW + HOUR, p.trust);
    expect(s).toMatchObject({ effectiveUrgency: 'critical', status: 'active', confirmedBy: [p.ben.agentId], awaitingConfirmation: false, ignored: [] });
  });

  it('Scenario: an unconfirmed critical alert becomes watch after 5 minutes', () => {
    const p = people();
    const a = critical(p);
    expect(alertState(a, [], NOW + 5 * MIN - 1, p.trust)).toMatchObject({ effectiveUrgency: 'critical', awaitingConfirmation: true });
    expect(alertState(a, [], NOW + 5 * MIN, p.trust)).toMatchObject({ effectiveUrgency: 'watch', awaitingConfirmation: false });
    const late = createFollowUp(p.ben, a.id, 'confirm', NOW + 6 * MIN);
    const s = alertState(a, [late], NOW + 7 * MIN, p.trust);
    expect(s.effectiveUrgency).toBe('watch');
    expect(s.confirmedBy).toEqual([p.ben.agentId]);
  });

  it('Scenario: the raiser, or a member below the gate, cannot confirm', () => {
    const p = people();
    const a = critical(p);
    const self = createFollowUp(p.ana, a.id, 'confirm', NOW + MIN);
    const low = createFollowUp(p.vouched, a.id, 'confirm', NOW + MIN);
    const s = alertState(a, [self, low], NOW + 10 * MIN, p.trust);
    expect(s.effectiveUrgency).toBe('watch');
    expect(s.confirmedBy).toEqual([]);
    expect(Object.fromEntries(s.ignored.map((i) => [i.id, i.reason]))).toEqual({ [self.id]: 'self-confirm', [low.id]: 'below-trust-gate' });
  });

  it('Scenario: responders say on my way or cannot, and the latest answer counts', () => {
    const p = people();
    const a = createAlert(p.ana, { kind: 'medical', urgency: 'urgent', area: 'south', text: 'Need a medic' }, NOW);
    const f = [
      createFollowUp(p.ben, a.id, 'on-my-way', NOW + MIN),
      createFollowUp(p.cai, a.id, 'on-my-way', NOW + 2 * MIN),
      createFollowUp(p.steward, a.id, 'cant', NOW + 3 * MIN),
      createFollowUp(p.cai, a.id, 'cant', NOW + 4 * MIN),
      createFollowUp(p.stranger, a.id, 'on-my-way', NOW + 5 * MIN),
    ];
    const s = alertState(a, [...f].reverse(), NOW + 10 * MIN, p.trust);
    expect(s.responders).toEqual({ coming: [p.ben.agentId], cant: [p.steward.agentId, p.cai.agentId] });
    expect(s.ignored).toEqual([{ id: f[4].id, reason: 'below-trust-gate' }]);
    expect(s.effectiveUrgency).toBe('urgent');
  });

  it('Scenario: only the raiser resolves or cancels; only a steward retracts', () => {
    const p = people();
    const a = critical(p);
    const notRaiser = createFollowUp(p.ben, a.id, 'resolve', NOW + MIN);
    const notSteward = createFollowUp(p.ben, a.id, 'retract', NOW + MIN);
    const s1 = alertState(a, [notRaiser, notSteward], NOW + 2 * MIN, p.trust);
    expect(s1.status).toBe('active');
    expect(Object.fromEntries(s1.ignored.map((i) => [i.id, i.reason]))).toEqual({ [notRaiser.id]: 'not-raiser', [notSteward.id]: 'not-steward' });
    const resolve = createFollowUp(p.ana, a.id, 'resolve', NOW + 3 * MIN);
    expect(alertState(a, [resolve], NOW + 4 * MIN, p.trust)).toMatchObject({ status: 'resolved', closedAt: NOW + 3 * MIN });
    const cancel = createFollowUp(p.ana, a.id, 'cancel', NOW + 2 * MIN);
    expect(alertState(a, [resolve, cancel], NOW + 4 * MIN, p.trust).status).toBe('cancelled');
    const retract = createFollowUp(p.steward, a.id, 'retract', NOW + 5 * MIN);
    expect(alertState(a, [resolve, retract], NOW + 6 * MIN, p.trust)).toMatchObject({ status: 'retracted', closedAt: NOW + 5 * MIN });
  });

  it('Scenario: an alert past its expiry is expired and not shown', () => {
    const p = people();
    const a = critical(p);
    expect(alertState(a, [], a.expires - 1, p.trust).status).toBe('active');
    expect(alertState(a, [], a.expires, p.trust).status).toBe('expired');
    expect(alertBoard([a], [], a.expires, p.trust).shown).toEqual([]);
    const afterExpiry = createFollowUp(p.ben, a.id, 'on-my-way', a.expires);
    const before = createFollowUp(p.ben, a.id, 'on-my-way', NOW - 1);
    const future = createFollowUp(p.ben, a.id, 'on-my-way', NOW + 10 * MIN);
    const s = alertState(a, [before, future, { junk: true }], NOW + MIN, p.trust);
    expect(Object.fromEntries(s.ignored.map((i) => [i.id, i.reason]))).toEqual({ [before.id]: 'before-alert', [future.id]: 'from-future', '?': 'malformed' });
    expect(alertState(a, [afterExpiry], a.expires + MIN, p.trust).ignored).toEqual([{ id: afterExpiry.id, reason: 'after-expiry' }]);
  });

  it('Scenario: follow-ups for other alerts are skipped, not reported', () => {
    const p = people();
    const a = critical(p);
    const other = createFollowUp(p.ben, 'another-alert', 'confirm', NOW + MIN);
    expect(alertState(a, [other], NOW + MIN, p.trust)).toMatchObject({ confirmedBy: [], ignored: [] });
  });

  it('Scenario: the board shows active alerts first by urgency, hides retracted and cancelled ones', () => {
    const p = people();
    const watch = createAlert(p.ben, { kind: 'other', urgency: 'watch', area: 'n', text: 'odd van' }, NOW);
    const crit = critical(p);
    const urgent = createAlert(p.cai, { kind: 'eviction', urgency: 'urgent', area: 's', text: 'eviction at 9' }, NOW);
    const gone = createAlert(p.steward, { kind: 'fire', urgency: 'urgent', area: 'e', text: 'fire' }, NOW);
    const done = createAlert(p.steward, { kind: 'medical', urgency: 'urgent', area: 'e', text: 'medic' }, NOW + MIN);
    const fu = [
      createFollowUp(p.ben, crit.id, 'confirm', NOW + MIN),
      createFollowUp(p.steward, gone.id, 'retract', NOW + MIN),
      createFollowUp(p.steward, done.id, 'resolve', NOW + 2 * MIN),
    ];
    const { shown } = alertBoard([watch, urgent, crit, gone, done], fu, NOW + 10 * MIN, p.trust);
    expect(shown.map((s) => s.alert.id)).toEqual([crit.id, urgent.id, watch.id, done.id]);
    expect(shown[3].state.status).toBe('resolved');
  });

  it('Scenario: alert state does not depend on follow-up order (property)', () => {
    const p = people();
    const a = critical(p);
    const pool = [
      createFollowUp(p.ben, a.id, 'confirm', NOW + MIN),
      createFollowUp(p.cai, a.id, 'on-my-way', NOW + MIN),
      createFollowUp(p.cai, a.id, 'cant', NOW + MIN),
      createFollowUp(p.ben, a.id, 'on-my-way', NOW + 2 * MIN),
      createFollowUp(p.ana, a.id, 'resolve', NOW + 3 * MIN),
      createFollowUp(p.ana, a.id, 'cancel', NOW + 3 * MIN),
      createFollowUp(p.steward, a.id, 'cant', NOW + 2 * MIN),
      createFollowUp(p.vouched, a.id, 'confirm', NOW + 2 * MIN),
    ];
    const verified = new Set(pool.map((f) => f.id));
    const verify = (r: unknown) => verified.has((r as { id: string }).id);
    fc.assert(
      fc.property(fc.subarray(pool), fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), (subset, keys) => {
        const shuffled = subset.map((f) => [keys.next().value as number, f] as const).sort((x, y) => x[0] - y[0]).map((x) => x[1]);
        expect(alertState(a, shuffled, NOW + HOUR, p.trust, verify)).toEqual(alertState(a, subset, NOW + HOUR, p.trust, verify));
      }),
      { numRuns: 200 },
    );
  });

  it('Scenario: arbitrary follow-up junk never throws (property)', () => {
    const p = people();
    const a = critical(p);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.anything(), fc.record({ type: fc.constant('alert-follow-up'), id: fc.string(), alert: fc.constant(a.id), act: fc.constantFrom('confirm', 'retract', 'x'), author: fc.string(), created: fc.integer(), sig: fc.string() }))), (junk) => {
        const s = alertState(a, junk, NOW + MIN, p.trust);
        expect(s.confirmedBy).toEqual([]);
        expect(s.status).toBe('active');
      }),
      { numRuns: 200 },
    );
  });
});

describe('alert board input', () => {
  it('Scenario: junk follow-ups are reported once on the board, not once per alert', () => {
    const p = people();
    const a = critical(p);
    const b = createAlert(p.ben, { kind: 'fire', urgency: 'urgent', area: 's', text: 'fire' }, NOW);
    const confirm = createFollowUp(p.ben, a.id, 'confirm', NOW + MIN);
    const { shown, ignored } = alertBoard([a, b], [confirm, 'junk', { type: 'alert-follow-up' }], NOW + 2 * MIN, p.trust);
    expect(shown.find((s) => s.alert.id === a.id)?.state.confirmedBy).toEqual([p.ben.agentId]);
    expect(ignored).toEqual([
      { id: '?', reason: 'malformed' },
      { id: '?', reason: 'malformed' },
    ]);
  });
});
