import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/client/errors.ts';
import { until } from './harness.ts';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();

describe('client: messages and alerts wait in their outboxes while no relay is reachable', () => {
  it('Scenario: a message written offline is sealed into the outbox, shown in the conversation, and kept across a restart', async () => {
    const { repo, ana, benId } = await suite.founderAndNewcomer();
    await expect(ana.phone.messages.sendTo('nobody', 'hi')).rejects.toThrow('messages.noRecipient');
    await expect(ana.phone.messages.sendTo(benId, '   ')).rejects.toThrow('error.required');
    await expect(ana.phone.messages.sendTo(benId, 'x'.repeat(4001))).rejects.toThrow('error.tooLong');
    await ana.phone.messages.sendTo(benId, 'Soup at six?');
    const state = ana.phone.messagesState.state;
    expect(state.outboxCount).toBe(1);
    expect(state.conversations.map((c) => c.peer)).toEqual([benId]);
    // What the outbox keeps on the phone is sealed: the text is not in storage.
    const stored = JSON.stringify(await Promise.all((await ana.local.settings.keys()).map((k) => ana.local.settings.get(k))));
    expect(stored).not.toContain('Soup at six');

    ana.phone.stop();
    const restarted = suite.phone(repo, ana.local);
    await restarted.phone.boot();
    expect(restarted.phone.messagesState.state.outboxCount).toBe(1);
    expect(restarted.phone.messagesState.state.conversations[0]).toMatchObject({ peer: benId });
  });

  it('Scenario: an alert raised offline shows on my board at once and waits in the outbox; a fourth within the hour is refused', async () => {
    const { ana } = await suite.founderAndNewcomer();
    // The screen says "saved on this phone", not "sent".
    expect(await ana.phone.alerts.raiseChecked({ kind: 'fire', urgency: 'watch', area: 'north', text: 'Smoke by the mill' })).toBe('kept');
    await until(() => ana.phone.alertsState.state.alerts.length === 1, 'the alert is on my board');
    expect(ana.phone.alertsState.state.alertOutbox).toBe(1);
    expect(ana.notified).toEqual([]); // my own alert does not notify me
    await ana.phone.alerts.raiseChecked({ kind: 'other', urgency: 'watch', area: 'north', text: 'second' });
    await ana.phone.alerts.raiseChecked({ kind: 'other', urgency: 'watch', area: 'north', text: 'third' });
    const fourth = await ana.phone.alerts.raiseChecked({ kind: 'other', urgency: 'watch', area: 'north', text: 'fourth' }).catch((e: unknown) => e);
    expect(fourth).toBeInstanceOf(UserError);
    expect((fourth as UserError).message).toBe('alerts.error.rate-limited');
    expect(ana.phone.alertsState.state.alertOutbox).toBe(3);
    // Bad input is refused with its own message.
    await expect(ana.phone.alerts.raiseChecked({ kind: 'fire', urgency: 'watch', area: 'north', text: '' })).rejects.toThrow(/^alerts\.error\./);
  });

  it('Scenario: a newcomer nobody has vouched for is refused an alert with the reason, and nothing waits in the outbox', async () => {
    const { ben } = await suite.founderAndNewcomer({ vouch: false });
    const gate = ben.phone.trust.gate('raise-alert');
    expect(gate?.allowed).toBe(false);
    await expect(ben.phone.alerts.raiseChecked({ kind: 'fire', urgency: 'watch', area: 'north', text: 'Smoke' })).rejects.toThrow(gate!.reason);
    expect(ben.phone.alertsState.state.alertOutbox).toBe(0);
  });
});
