import { afterEach, describe, expect, it } from 'vitest';
import { nodeClientPhone } from '../helpers/client-platform.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { anaAndBen } from '../helpers/client-pair.ts';

const running: RelayProcess[] = [];
const phones: Array<ReturnType<typeof nodeClientPhone>> = [];
afterEach(async () => {
  for (const p of phones.splice(0)) await p.close().catch(() => undefined);
  for (const r of running.splice(0)) await r.cleanup();
});


describe('the phone client (src/client) against a real relay, in Node', () => {
  it('Scenario: two Node phones built from src/client join, vouch, post, message and raise an alert through a real relay', async () => {
    const relay = await startRelayProcess({ args: ['--node-name', 'client-layer'] });
    running.push(relay);
    const { ana, ben, anaId, benId } = await anaAndBen(relay.url, (p) => phones.push(p));

    await ana.phone.trust.vouch(ana.phone.trust.readCode(ben.phone.trust.myCode()), 3, 'neighbour');
    await waitFor(() => !!ben.phone.trust.gate('post-offer')?.allowed, "Ana's vouch reaches Ben's phone through the relay");
    await ben.phone.intents.post({ kind: 'offer', category: 'food', title: 'Bread from the relay test', description: '' });
    await waitFor(() => ana.phone.board.state.state.intents.some((i) => i.name === 'Bread from the relay test'), "Ben's offer is listed on Ana's phone");
    await waitFor(() => ben.phone.sync.state.state.pending === 0, "the relay acknowledged Ben's writes");
    expect(ben.phone.sync.state.state.relayConnected).toBe(true);

    await ana.phone.messages.sendTo(benId, 'Thanks for the bread');
    await waitFor(() => ana.phone.messagesState.state.outboxCount === 0, 'the relay took the message');
    await waitFor(() => ben.phone.messagesState.state.conversations.some((c) => c.peer === anaId && c.unread === 1), 'Ben reads it');

    await ana.phone.alerts.raiseChecked({ kind: 'fire', urgency: 'urgent', area: 'north', text: 'Smoke by the mill' });
    await waitFor(() => ben.phone.alertsState.state.alerts.some((s) => s.alert.text === 'Smoke by the mill'), "Ana's alert is on Ben's board");
  });
});
