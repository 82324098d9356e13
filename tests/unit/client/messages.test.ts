import { afterEach, describe, expect, it, vi } from 'vitest';
import { until } from './harness.ts';
import { memoryRelay } from './memory-relay.ts';
import { twoPhoneSuite } from './two-phones.ts';
import { Route } from '../../../src/core/protocol/routes.ts';

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
    // Her conversation marks it as still on her phone, not as sent.
    const mine = () => ana.phone.messagesState.state.conversations.find((c) => c.peer === benId)!.messages[0];
    expect(ana.phone.messagesState.state.messagesWaiting).toEqual([mine().id]);
    relay.down = false;
    // The next try waits for its back-off: an hour later (only the clock is moved) it goes.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3600_000);
    await until(() => (void ana.phone.messages.sync(), ana.phone.messagesState.state.outboxCount === 0), 'the outbox empties once the relay is back');
    expect(ana.phone.messagesState.state.messagesWaiting).toEqual([]);
    expect(mine().status).toBe('sent');
    await ben.phone.messages.sync();
    await until(() => ben.phone.messagesState.state.conversations.some((c) => c.peer === anaId && c.unread === 1), 'Ben reads it');
  });

  it("Scenario: a message from another member notifies with the sender's name and not its text", async () => {
    const relay = memoryRelay();
    const { repo, ana, ben, anaId, benId } = await suite.founderAndNewcomer({ relay: relay.fetch });
    await ana.phone.messages.sendTo(benId, 'The back door code is 4471');
    await ana.phone.messages.sendTo(benId, 'Come after dark');
    // A send's own sync is skipped while another is running: sync again until the outbox is empty.
    const flushed = (p: typeof ana) => () => (void p.phone.messages.sync(), p.phone.messagesState.state.outboxCount === 0);
    await until(flushed(ana), 'the relay took both messages');

    await ben.phone.messages.sync();
    await until(() => ben.messagesNotified.length === 2, 'Ben is notified of each new message');
    for (const n of ben.messagesNotified) {
      expect(n).toMatchObject({ from: anaId, fromName: 'Ana' });
      // Nothing of the text reaches the notification: the port is never handed it.
      expect(JSON.stringify(n)).not.toMatch(/4471|door|dark/);
    }
    expect(new Set(ben.messagesNotified.map((n) => n.messageId)).size).toBe(2);

    // Ben answers: his own message notifies nobody on his phone; Ana's phone tells her, once.
    await ben.phone.messages.sendTo(anaId, 'On my way');
    await until(flushed(ben), 'the relay took the answer and the receipts');
    await until(() => (void ana.phone.messages.sync(), ana.messagesNotified.length === 1), 'Ana is notified of the answer');
    expect(ana.messagesNotified[0]).toMatchObject({ from: benId, fromName: 'Ben' });
    // Ana's receipts come back to Ben's phone (a delivery, not a message): still two notifications.
    await until(flushed(ana), 'Ana’s receipts went out');
    const delivered = () => ben.phone.messagesState.state.conversations.find((c) => c.peer === anaId)?.messages.find((m) => m.from === benId)?.status === 'delivered';
    await until(() => (void ben.phone.messages.sync(), delivered()), 'Ben sees his answer delivered');
    expect(ben.messagesNotified).toHaveLength(2);
    expect(ben.messagesNotified.some((n) => n.from === benId)).toBe(false);

    // Ben's phone restarts on the same storage; the relay hands the same envelopes out again.
    ben.phone.stop();
    const again = suite.phone(repo, ben.local, relay.fetch);
    await again.phone.boot();
    await until(() => again.phone.session.state.state.phase === 'ready', 'Ben’s phone is back');
    await until(() => again.phone.messagesState.state.conversations.some((c) => c.peer === anaId && c.messages.length === 3), 'the conversation is back');
    const fetches = relay.requests;
    await until(() => (void again.phone.messages.sync(), relay.requests > fetches + 1), 'the restarted phone fetched its inbox again');
    await again.phone.messages.sync();
    expect(again.messagesNotified).toEqual([]);
  });

  it('Scenario: a newcomer nobody vouched for may not message, and says why', async () => {
    const { ben, anaId } = await suite.founderAndNewcomer({ vouch: false });
    const gate = ben.phone.trust.gate('message');
    expect(gate?.allowed).toBe(false);
    await expect(ben.phone.messages.sendTo(anaId, 'hello')).rejects.toThrow(gate!.reason);
    expect(ben.phone.messagesState.state.outboxCount).toBe(0);
  });

  it('Scenario: a message the hub refuses for good is marked not sent and is not tried again', async () => {
    const relay = memoryRelay();
    // The hub answers this phone's messages with 413, as it answers an envelope past its size limit.
    let refusals = 0;
    const refusing = (async (input: string | URL | Request, init?: RequestInit) => {
      if (new URL(String(input)).pathname !== Route.inbox || init?.method !== 'POST') return relay.fetch(input, init);
      refusals++;
      return Response.json({ error: 'envelope larger than the limit', code: 'too-large' }, { status: 413 });
    }) as typeof fetch;
    const { ana, benId } = await suite.founderAndNewcomer({ relay: refusing });
    await ana.phone.messages.sendTo(benId, 'The list of safe houses');
    const mine = () => ana.phone.messagesState.state.conversations.find((c) => c.peer === benId)?.messages[0];
    await until(() => mine()?.status === 'refused', 'her conversation says the message was not sent');
    expect(ana.phone.messagesState.state.outboxCount).toBe(0);
    expect(ana.phone.messagesState.state.messagesWaiting).toEqual([]);
    // Nothing waits: the next tries send nothing, and the status line can say everything is sent.
    await ana.phone.messages.sync();
    await ana.phone.messages.sync();
    expect(refusals).toBe(1);
  });
});
