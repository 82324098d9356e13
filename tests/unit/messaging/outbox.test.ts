import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEnvelope,
  due,
  emptyOutbox,
  encodeEnvelope,
  enqueue,
  expire,
  markAttempt,
  markHandedOff,
  MAX_AGE_MS,
  MAX_OUTBOX_ITEMS,
  MessagingError,
  openMessage,
  parseOutbox,
  retryDelay,
  sealMessage,
  type OutboxState,
} from '../../../src/core/messaging/index.ts';
import { alice, bob, recipientOf, T0 } from './helpers.ts';

const sealed = (text: string, t = T0) => sealMessage(alice, recipientOf(bob), { kind: 'text', text }, t);
const two = [sealed('one'), sealed('two')];

describe('Outbox', () => {
  it('Scenario: queued messages wait for a relay and leave once it takes custody', () => {
    let s = enqueue(enqueue(emptyOutbox(), two[0], T0), two[1], T0 + 1);
    expect(enqueue(s, two[0], T0 + 2)).toBe(s);
    expect(due(s, T0 + 2).map((i) => i.id)).toEqual([two[0].message.id, two[1].message.id]);
    s = markAttempt(s, two[0].message.id, T0 + 10);
    expect(due(s, T0 + 11).map((i) => i.id)).toEqual([two[1].message.id]);
    expect(due(s, T0 + 10 + retryDelay(1)).map((i) => i.id)).toEqual([two[0].message.id, two[1].message.id]);
    s = markHandedOff(s, two[0].message.id);
    expect(s.items.map((i) => i.id)).toEqual([two[1].message.id]);
    // What is handed to the relay is the bundle payload of the stored envelope.
    const payload = encodeEnvelope(s.items[0].envelope);
    expect(openMessage(bob, decodeEnvelope(payload), T0 + 20).ok).toBe(true);
  });

  it('Scenario: retries back off and stay bounded', () => {
    expect([0, 1, 2, 3].map(retryDelay)).toEqual([0, 5000, 10000, 20000]);
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), (n) => {
        expect(retryDelay(n)).toBeLessThanOrEqual(600_000);
      }));
  });

  it('Scenario: the outbox survives serialisation and refuses corrupted state', () => {
    const s = markAttempt(enqueue(enqueue(emptyOutbox(), two[0], T0), two[1], T0), two[1].message.id, T0 + 5);
    const back = parseOutbox(JSON.parse(JSON.stringify(s)));
    expect(back).toEqual(s);
    const item = s.items[0];
    const bad: unknown[] = [null, { v: 1 }, { v: 1, items: [{ ...item, envelope: { ...item.envelope, ct: 'x' } }] }, { v: 1, items: [item, item] }, { v: 1, items: [{ ...item, to: two[0].message.author }] }, { v: 1, items: [{ ...item, attempts: -1 }] }];
    for (const b of bad) expect(() => parseOutbox(b)).toThrow(MessagingError);
  });

  it('Scenario: messages too old for their recipient expire from the outbox', () => {
    const s = enqueue(enqueue(emptyOutbox(), two[0], T0), two[1], T0 + 1000);
    const r = expire(s, T0 + MAX_AGE_MS + 1);
    expect(r.expired).toEqual([two[0].message.id]);
    expect(r.state.items.map((i) => i.id)).toEqual([two[1].message.id]);
  });

  it('Scenario: a full outbox refuses more with a typed error', () => {
    const one = two[0];
    let s: OutboxState = emptyOutbox();
    // Same envelope under distinct ids: filling the outbox needs no new signatures.
    for (let i = 0; i < MAX_OUTBOX_ITEMS; i++) s = enqueue(s, { ...one, message: { ...one.message, id: `${i}`.padStart(21, '0') + 'A' } }, T0);
    expect(s.items).toHaveLength(MAX_OUTBOX_ITEMS);
    expect(() => enqueue(s, two[1], T0)).toThrow(MessagingError);
  });
});
