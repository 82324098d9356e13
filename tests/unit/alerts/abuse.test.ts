import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRITICAL_INTERVAL_MS, MAX_ALERTS_PER_HOUR, RATE_WINDOW_MS, acceptAlerts, createAlert, type Alert, type Urgency } from '../../../src/core/alerts/index.ts';
import { MIN, NOW, people } from './helpers.ts';

describe('abuse controls', () => {
  it('Scenario: a fourth alert within an hour is ignored as rate-limited', () => {
    const p = people();
    const mk = (t: number) => createAlert(p.ana, { kind: 'other', urgency: 'watch', area: 'n', text: `note ${t}` }, NOW + t * MIN);
    const four = [mk(0), mk(10), mk(20), mk(59)];
    const { alerts, ignored } = acceptAlerts(four, NOW + 2 * 60 * MIN, p.trust);
    expect(alerts.map((a) => a.id)).toEqual(four.slice(0, 3).map((a) => a.id));
    expect(ignored).toEqual([{ id: four[3].id, reason: 'rate-limited' }]);
    // An hour after the first, a new one is allowed again; other members are not affected.
    const later = mk(60);
    const other = createAlert(p.ben, { kind: 'other', urgency: 'watch', area: 'n', text: 'mine' }, NOW + 30 * MIN);
    expect(acceptAlerts([...four.slice(0, 3), later, other], NOW + 2 * 60 * MIN, p.trust).ignored).toEqual([]);
    expect(MAX_ALERTS_PER_HOUR).toBe(3);
    expect(RATE_WINDOW_MS).toBe(60 * MIN);
  });

  it('Scenario: a second critical alert within 10 minutes is ignored as rate-limited', () => {
    const p = people();
    const c1 = createAlert(p.ana, { kind: 'raid', urgency: 'critical', area: 'n', text: 'raid' }, NOW);
    const c2 = createAlert(p.ana, { kind: 'raid', urgency: 'critical', area: 'n', text: 'raid again' }, NOW + 9 * MIN);
    const u = createAlert(p.ana, { kind: 'raid', urgency: 'urgent', area: 'n', text: 'still here' }, NOW + 9 * MIN);
    const c3 = createAlert(p.ana, { kind: 'raid', urgency: 'critical', area: 'n', text: 'raid 3' }, NOW + 10 * MIN);
    const { alerts, ignored } = acceptAlerts([c3, u, c2, c1], NOW + 11 * MIN, p.trust);
    expect(alerts.map((a) => a.id)).toEqual([c1.id, u.id, c3.id]);
    expect(ignored).toEqual([{ id: c2.id, reason: 'rate-limited' }]);
    expect(CRITICAL_INTERVAL_MS).toBe(10 * MIN);
  });

  it('Scenario: a copy of an alert is one alert; a different record under the same id is ignored', () => {
    const p = people();
    const a = createAlert(p.ana, { kind: 'fire', urgency: 'urgent', area: 'n', text: 'fire' }, NOW);
    const b = createAlert(p.ben, { kind: 'fire', urgency: 'urgent', area: 'n', text: 'fire' }, NOW + MIN);
    const clash = { ...b, id: a.id };
    const verify = () => true;
    const { alerts, ignored } = acceptAlerts([a, { ...a }, clash], NOW + 2 * MIN, p.trust, verify);
    expect(alerts).toEqual([a]);
    expect(ignored).toEqual([{ id: a.id, reason: 'duplicate-id' }]);
  });

  it('Scenario: rate limits hold for any stream of alerts in any order (property)', () => {
    const p = people();
    const authors = [p.ana, p.ben];
    const arb = fc.array(fc.record({ who: fc.nat(1), at: fc.nat(180), urgency: fc.constantFrom<Urgency>('critical', 'urgent', 'watch') }), { maxLength: 25 });
    // One signed alert per author and urgency, moved in time: signatures are not what this property
    // is about (verify accepts all), and signing thousands of them made it the slowest unit test.
    const signed = authors.map((who) => Object.fromEntries((['critical', 'urgent', 'watch'] as const).map((u) => [u, createAlert(who, { kind: 'other', urgency: u, area: 'n', text: 't' }, NOW)])) as Record<Urgency, Alert>);
    const at = (who: number, urgency: Urgency, created: number, id: string): Alert => {
      const base = signed[who][urgency];
      return { ...base, id, created, expires: base.expires - base.created + created };
    };
    fc.assert(
      fc.property(arb, (spec) => {
        const made: Alert[] = spec.map((s, i) => at(s.who, s.urgency, NOW + s.at * MIN, `id${i}`));
        const verify = () => true;
        const { alerts } = acceptAlerts(made, NOW + 200 * MIN, p.trust, verify);
        expect(acceptAlerts([...made].reverse(), NOW + 200 * MIN, p.trust, verify).alerts).toEqual(alerts);
        for (const a of alerts) {
          const mine = alerts.filter((x) => x.author === a.author);
          expect(mine.filter((x) => x.created <= a.created && a.created - x.created < RATE_WINDOW_MS).length).toBeLessThanOrEqual(MAX_ALERTS_PER_HOUR);
          if (a.urgency === 'critical') {
            expect(mine.filter((x) => x.urgency === 'critical' && x.created <= a.created && a.created - x.created < CRITICAL_INTERVAL_MS).length).toBe(1);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
