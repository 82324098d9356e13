import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContactBook, VISIT_GAP_MS } from '../../../relay/dtn/adoption.ts';
import { createLogger } from '../../../relay/log.ts';
import type { TcpclSession } from '../../../relay/dtn/tcpcl/index.ts';

// openspec/specs/bridge-sync/spec.md — "A bridge visit survives a dropped session". The book only reads a
// session's peer node ID and TLS state and listens for 'down', so a bare emitter stands in for the socket.
function session(peer: string): TcpclSession & EventEmitter {
  return Object.assign(new EventEmitter(), { peerNodeId: peer, tls: undefined }) as unknown as TcpclSession & EventEmitter;
}

const down = (s: EventEmitter) => s.emit('down', { cause: 'keepalive' });

describe('bridge visits', () => {
  afterEach(() => vi.useRealTimers());

  it('Scenario: a bridge whose session drops and comes straight back still shows the changes it brought', () => {
    vi.useFakeTimers();
    const book = new ContactBook(createLogger('silent'));
    const first = session('dtn://bridge/');
    const { contact, record } = book.adopt(first, () => {});
    contact.bundlesIn = 7;
    book.recordFor(contact)!.changesApplied = 5;
    down(first);
    vi.advanceTimersByTime(VISIT_GAP_MS - 1_000);

    const again = book.adopt(session('dtn://bridge/'), () => {});
    expect(again.record).toBe(record);
    expect(book.history.at(-1)).toMatchObject({ peer: 'dtn://bridge/', up: true, changesApplied: 5 });
    expect(book.history.at(-1)).not.toHaveProperty('until');
    // A change applied on the new session counts toward the same visit.
    book.recordFor(again.contact)!.changesApplied++;
    again.contact.bundlesIn = 2;
    down(again.contact.session as unknown as EventEmitter);
    expect(book.history).toHaveLength(1);
    expect(book.history[0]).toMatchObject({ up: false, changesApplied: 6, bundlesIn: 9 });
  });

  it('Scenario: a bridge that comes back after the gap starts a new visit, and another peer between does not hide it', () => {
    vi.useFakeTimers();
    const book = new ContactBook(createLogger('silent'));
    const first = book.adopt(session('dtn://bridge/'), () => {});
    book.recordFor(first.contact)!.changesApplied = 3;
    down(first.contact.session as unknown as EventEmitter);
    vi.advanceTimersByTime(VISIT_GAP_MS + 1);
    const later = book.adopt(session('dtn://bridge/'), () => {});
    expect(later.record).not.toBe(first.record);
    expect(later.record.changesApplied).toBe(0);

    // Within the gap, but another relay was met in between: the bridge's visit is the latest again.
    down(later.contact.session as unknown as EventEmitter);
    const other = book.adopt(session('dtn://other/'), () => {});
    down(other.contact.session as unknown as EventEmitter);
    const back = book.adopt(session('dtn://bridge/'), () => {});
    expect(back.record).toBe(later.record);
    expect(book.history.at(-1)?.peer).toBe('dtn://bridge/');
    expect(book.history.map((r) => r.peer)).toEqual(['dtn://bridge/', 'dtn://other/', 'dtn://bridge/']);
  });

  it('Scenario: peers without a node ID never share a visit', () => {
    const book = new ContactBook(createLogger('silent'));
    const a = book.adopt(session(''), () => {});
    down(a.contact.session as unknown as EventEmitter);
    const b = book.adopt(session(''), () => {});
    expect(b.record).not.toBe(a.record);
  });
});
