import { describe, expect, it } from 'vitest';
import { until } from './harness.ts';
import { memoryRelay } from './memory-relay.ts';
import { twoPhoneSuite } from './two-phones.ts';
import { Route } from '../../../src/core/protocol/routes.ts';

const suite = twoPhoneSuite();

describe('client: rapid-response alerts between two phones in Node', () => {
  it('Scenario: an alert raised on Ana’s phone shows on Ben’s, notifies him once, and his "I am on my way" shows on hers', async () => {
    const relay = memoryRelay();
    const { ana, ben, benId } = await suite.founderAndNewcomer({ relay: relay.fetch });
    // "Sent" is said only once the relay holds it.
    expect(await ana.phone.alerts.raiseChecked({ kind: 'fire', urgency: 'urgent', area: 'north', text: 'Smoke by the mill' })).toBe('sent');
    expect(ana.phone.alertsState.state.alertOutbox).toBe(0);

    await ben.phone.alerts.sync();
    const shown = () => ben.phone.alertsState.state.alerts.find((s) => s.alert.text === 'Smoke by the mill');
    await until(() => !!shown(), 'the alert is on Ben’s board');
    expect(shown()!.state.status).toBe('active');
    expect(ben.notified.map((a) => a.text)).toEqual(['Smoke by the mill']);
    await ben.phone.alerts.sync();
    ben.phone.alerts.publish();
    expect(ben.notified).toHaveLength(1); // seen again, not announced again

    expect(await ben.phone.alerts.answer(shown()!.alert.id, 'on-my-way')).toBe('sent'); // said once the relay holds it
    expect(ben.phone.alertsState.state.alertOutbox).toBe(0);
    await ana.phone.alerts.sync();
    const mine = () => ana.phone.alertsState.state.alerts.find((s) => s.alert.text === 'Smoke by the mill');
    await until(() => mine()?.state.responders.coming.includes(benId) === true, 'Ana sees Ben on his way');
  });

  it('Scenario: a newcomer’s phone shows no alerts, even when the relay holds some', async () => {
    const relay = memoryRelay();
    const { ana, ben } = await suite.founderAndNewcomer({ relay: relay.fetch, vouch: false });
    await ana.phone.alerts.raiseChecked({ kind: 'raid', urgency: 'critical', area: 'market', text: 'Police at the market' });
    await until(() => ana.phone.alertsState.state.alertOutbox === 0, 'the relay took the alert');
    await ben.phone.alerts.sync();
    expect(ben.phone.trust.gate('see-alerts')?.allowed).toBe(false);
    expect(ben.phone.alertsState.state.alerts).toEqual([]);
    expect(ben.notified).toEqual([]);
  });

  it('Scenario: an alert the relay refuses is said to be refused, not sent, and is on no board', async () => {
    const relay = memoryRelay();
    const refusing = (async (input: string | URL | Request, init?: RequestInit) =>
      new URL(String(input)).pathname === Route.alerts && init?.method === 'POST' ? Response.json({ error: 'too many alerts from this key', code: 'rate-limited' }, { status: 429 }) : relay.fetch(input, init)) as typeof fetch;
    const { ana } = await suite.founderAndNewcomer({ relay: refusing });
    expect(await ana.phone.alerts.raiseChecked({ kind: 'fire', urgency: 'urgent', area: 'north', text: 'Smoke by the mill' })).toBe('refused');
    expect(ana.phone.alertsState.state.alertOutbox).toBe(0);
    expect(ana.phone.alertsState.state.alerts).toEqual([]);
  });

  it('Scenario: a hub that takes an alert and never answers does not hold back the next try', async () => {
    const relay = memoryRelay();
    // The hub takes the first alert request and then says nothing, as over a link gone mid-request;
    // the request ends only when the phone gives up on it.
    let silent = true;
    const hanging = (async (input: string | URL | Request, init?: RequestInit) => {
      if (!(silent && new URL(String(input)).pathname === Route.alerts && init?.method === 'POST')) return relay.fetch(input, init);
      silent = false;
      return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    }) as typeof fetch;
    const { ana } = await suite.founderAndNewcomer({ relay: { fetch: hanging, answerWithinMs: 300 } });
    expect(await ana.phone.alerts.raiseChecked({ kind: 'fire', urgency: 'urgent', area: 'north', text: 'Smoke by the mill' })).toBe('kept');
    expect(ana.phone.alertsState.state.alertOutbox).toBe(1);
    // The next try (the app's poll, or the link coming back) goes out and the hub holds the alert.
    await ana.phone.alerts.sync();
    expect(ana.phone.alertsState.state.alertOutbox).toBe(0);
  });

  it('Scenario: an answer to an alert given with no hub in reach is said to be kept on the phone, and goes out when the hub is back', async () => {
    const relay = memoryRelay();
    const { ana, ben } = await suite.founderAndNewcomer({ relay: relay.fetch });
    expect(await ana.phone.alerts.raiseChecked({ kind: 'fire', urgency: 'urgent', area: 'north', text: 'Smoke by the mill' })).toBe('sent');
    await ben.phone.alerts.sync();
    const shown = () => ben.phone.alertsState.state.alerts.find((s) => s.alert.text === 'Smoke by the mill');
    await until(() => !!shown(), 'the alert is on Ben’s board');

    relay.down = true;
    expect(await ben.phone.alerts.answer(shown()!.alert.id, 'on-my-way')).toBe('kept');
    expect(ben.phone.alertsState.state.alertOutbox).toBe(1);
    relay.down = false;
    await ben.phone.alerts.sync();
    expect(ben.phone.alertsState.state.alertOutbox).toBe(0);
    await ana.phone.alerts.sync();
    const mine = () => ana.phone.alertsState.state.alerts.find((s) => s.alert.text === 'Smoke by the mill');
    await until(() => mine()?.state.responders.coming.length === 1, 'Ana sees Ben on his way');
  });
});
