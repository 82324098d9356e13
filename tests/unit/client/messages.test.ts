import { afterEach, describe, expect, it, vi } from 'vitest';
import { until } from './harness.ts';
import { memoryRelay } from './memory-relay.ts';
import { twoPhoneSuite } from './two-phones.ts';

const suite = twoPhoneSuite();
afterEach(() => void vi.useRealTimers());

describe('client: private messages between two phones in Node', () => {
  it('Scenario: a message from Ana is read by Ben, marked read, and Ana learns it was delivered', async () => {
    const relay = memoryRelay();
    const { ana, ben, anaId, benId } = await suite.founderAndNewcomer({ relay: relay.fetch });
    await ana.phone.messages.sendTo(benId, 'Soup at six?');
    await until(() => ana.phone.messagesState.state.outboxCount === 0, 'the relay took the message');

    await ben.phone.messages.sync();
    const conv = () => ben.phone.messagesState.state.conversations.find((c) => c.peer === anaId);
    await until(() => conv()?.unread === 1, 'Ben has one unread message from Ana');
    expect(conv()!.messages.map((m) => m.text)).toEqual(['Soup at six?']);
    await ben.phone.messages.read(anaId);
    expect(conv()!.unread).toBe(0);

    // Ben's phone answers with a sealed receipt; Ana's phone marks her message delivered.
    await ben.phone.messages.sync();
    await ana.phone.messages.sync();
    const mine = () => ana.phone.messagesState.state.conversations.find((c) => c.peer === benId)?.messages[0];
    await until(() => mine()?.status === 'delivered', 'Ana sees her message delivered');
  });

  it('Scenario: a message that cannot reach the relay waits in the outbox and goes once the relay is back', async () => {
    const relay = memoryRelay();
    relay.down = true;
    const { ana, ben, anaId, benId } = await suite.founderAndNewcomer({ relay: relay.fetch });
    await ana.phone.messages.sendTo(benId, 'Are you safe?');
    await until(() => relay.requests > 0, 'the phone tried the relay');
    expect(ana.phone.messagesState.state.outboxCount).toBe(1);
    relay.down = false;
    // The next try waits for its back-off: an hour later (only the clock is moved) it goes.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3600_000);
    await until(() => (void ana.phone.messages.sync(), ana.phone.messagesState.state.outboxCount === 0), 'the outbox empties once the relay is back');
    await ben.phone.messages.sync();
    await until(() => ben.phone.messagesState.state.conversations.some((c) => c.peer === anaId && c.unread === 1), 'Ben reads it');
  });

  it('Scenario: a newcomer nobody vouched for may not message, and says why', async () => {
    const { ben, anaId } = await suite.founderAndNewcomer({ vouch: false });
    const gate = ben.phone.trust.gate('message');
    expect(gate?.allowed).toBe(false);
    await expect(ben.phone.messages.sendTo(anaId, 'hello')).rejects.toThrow(gate!.reason);
    expect(ben.phone.messagesState.state.outboxCount).toBe(0);
  });
});
