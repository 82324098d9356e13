import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptMessage,
  conversationList,
  emptyInbox,
  markRead,
  markRefused,
  MessagingError,
  openMessage,
  parseInbox,
  pruneSeen,
  recordSent,
  sealMessage,
  sealReceipt,
  totalUnread,
  MAX_AGE_MS,
  type InboxState,
  type Message,
} from '../../../src/core/messaging/index.ts';
import { alice, bob, carol, recipientOf, T0 } from './helpers.ts';

const text = (from = alice, to = bob, t = T0, body = 'hello'): Message => sealMessage(from, recipientOf(to), { kind: 'text', text: body }, t).message;

function acceptAll(state: InboxState, ms: Message[]): InboxState {
  for (const m of ms) state = acceptMessage(state, m).state;
  return state;
}

describe('Inbox', () => {
  it('Scenario: a message is accepted once and a replay is refused', () => {
    const m = text();
    const first = acceptMessage(emptyInbox(bob.agentId), m);
    expect(first.outcome).toBe('new');
    const again = acceptMessage(first.state, m);
    expect(again.outcome).toBe('replayed');
    expect(again.state).toBe(first.state);
    expect(acceptMessage(first.state, text(alice, carol)).outcome).toBe('not-mine');
  });

  it('Scenario: conversations are kept per peer, ordered by creation, with unread counts', () => {
    const late = text(alice, bob, T0 + 2000, 'second');
    const early = text(alice, bob, T0 + 1000, 'first');
    const fromCarol = text(carol, bob, T0 + 5000, 'carol here');
    let s = acceptAll(emptyInbox(bob.agentId), [late, early, fromCarol]);
    expect(s.conversations[alice.agentId].messages.map((m) => m.text)).toEqual(['first', 'second']);
    expect(s.conversations[alice.agentId].unread).toBe(2);
    expect(totalUnread(s)).toBe(3);
    expect(conversationList(s).map((c) => c.peer)).toEqual([carol.agentId, alice.agentId]);
    s = markRead(s, alice.agentId);
    expect(s.conversations[alice.agentId].unread).toBe(0);
    expect(totalUnread(s)).toBe(1);
    expect(markRead(s, 'nobody')).toBe(s);
  });

  it('Scenario: a delivery receipt marks my message delivered and is not shown', () => {
    // Alice sends, Bob opens and answers with a receipt, Alice opens the receipt.
    const sent = sealMessage(alice, recipientOf(bob), { kind: 'text', text: 'are you safe?' }, T0);
    let aliceInbox = recordSent(emptyInbox(alice.agentId), sent.message);
    expect(aliceInbox.conversations[bob.agentId].messages[0].status).toBe('sent');
    expect(aliceInbox.conversations[bob.agentId].unread).toBe(0);

    const atBob = openMessage(bob, sent.envelope, T0 + 10);
    if (!atBob.ok) throw new Error(atBob.reason);
    const receipt = sealReceipt(bob, atBob.message, T0 + 20);
    const atAlice = openMessage(alice, receipt.envelope, T0 + 30);
    if (!atAlice.ok) throw new Error(atAlice.reason);

    const r = acceptMessage(aliceInbox, atAlice.message);
    expect(r.outcome).toBe('delivered');
    aliceInbox = r.state;
    expect(aliceInbox.conversations[bob.agentId].messages).toHaveLength(1);
    expect(aliceInbox.conversations[bob.agentId].messages[0].status).toBe('delivered');
    expect(aliceInbox.conversations[bob.agentId].unread).toBe(0);
    expect(acceptMessage(aliceInbox, atAlice.message).outcome).toBe('replayed');
  });

  it('Scenario: a receipt from someone else does not mark my message delivered', () => {
    const sent = text(alice, bob);
    const aliceInbox = recordSent(emptyInbox(alice.agentId), sent);
    // Carol knows the id (say, she saw Bob's screen) and sends a receipt for it.
    const fake = sealMessage(carol, recipientOf(alice), { kind: 'receipt', of: sent.id }, T0).message;
    const r = acceptMessage(aliceInbox, fake);
    expect(r.outcome).toBe('receipt-unknown');
    expect(r.state.conversations[bob.agentId].messages[0].status).toBe('sent');
    expect(r.state.conversations[carol.agentId]).toBeUndefined();
  });

  it('Scenario: a message the hub refused for good is marked not sent, only mine, and stays so when read back', () => {
    const sent = text(alice, bob);
    const theirs = text(bob, alice, T0 + 1, 'theirs');
    const inbox = acceptMessage(recordSent(emptyInbox(alice.agentId), sent), theirs).state;
    const refused = markRefused(inbox, bob.agentId, sent.id);
    expect(refused.conversations[bob.agentId].messages.map((m) => m.status)).toEqual(['refused', undefined]);
    // Someone else's message, or an id in another conversation, is not mine to mark.
    expect(markRefused(inbox, bob.agentId, theirs.id)).toBe(inbox);
    expect(markRefused(inbox, carol.agentId, sent.id)).toBe(inbox);
    expect(parseInbox(JSON.parse(JSON.stringify(refused)))).toEqual(refused);
  });

  it('Scenario: delivery order and duplicates do not change the resulting inbox', () => {
    const ms = [text(alice, bob, T0 + 1, 'a'), text(alice, bob, T0 + 1, 'b'), text(carol, bob, T0 + 2, 'c'), text(alice, bob, T0 + 3, 'd')];
    const reference = acceptAll(emptyInbox(bob.agentId), ms);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ms), { minLength: 0, maxLength: 12 }), fc.shuffledSubarray(ms, { minLength: 4, maxLength: 4 }), (dups, order) => {
        const s = acceptAll(emptyInbox(bob.agentId), [...order, ...dups]);
        expect(s.conversations).toEqual(reference.conversations);
        expect(s.seen).toEqual(reference.seen);
      }),
    );
  });

  it('Scenario: the inbox survives serialisation and refuses corrupted state', () => {
    const sent = text(bob, alice, T0 + 5, 'mine');
    const s = recordSent(acceptAll(emptyInbox(bob.agentId), [text(), text(carol, bob, T0 + 9)]), sent);
    const back = parseInbox(JSON.parse(JSON.stringify(s)));
    expect(back).toEqual(s);
    const bad: unknown[] = [null, {}, { ...s, v: 2 }, { ...s, seen: JSON.parse('{"__proto__": 1}') }, { ...s, seen: { nope: 1 } }, { ...s, conversations: { [alice.agentId]: { peer: carol.agentId, messages: [], unread: 0 } } }];
    bad.push(JSON.parse(JSON.stringify(s).replace('"sent"', '"read"')));
    for (const b of bad) expect(() => parseInbox(b)).toThrow(MessagingError);
  });

  it('Scenario: seen ids older than the age limit are forgotten, and their replays are refused as too old', () => {
    const { envelope, message } = sealMessage(alice, recipientOf(bob), { kind: 'text', text: 'old' }, T0);
    const s = acceptMessage(emptyInbox(bob.agentId), message).state;
    const later = T0 + MAX_AGE_MS + 1;
    const pruned = pruneSeen(s, later);
    expect(pruned.seen).toEqual({});
    expect(openMessage(bob, envelope, later)).toEqual({ ok: false, reason: 'too-old' });
    expect(pruneSeen(s, T0 + 1).seen).toEqual(s.seen);
  });
});
