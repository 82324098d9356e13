import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { createIntent } from '../../../src/core/model/intent.ts';
import { noticeboard, printList, type VisibleEntry } from '../../../src/core/sanctuary/index.ts';
import { DAY, NOW, plain } from './helpers.ts';

function visible(id: string, over: Partial<VisibleEntry['entry']> = {}, verified = true): VisibleEntry {
  return { id, author: 'a', epoch: 1, created: NOW, updated: NOW, entry: plain(over), verified, verifiedBy: verified ? ['s1', 's2'] : [], lastCheckIn: NOW - DAY, flag: null };
}

describe('sanctuary print list', () => {
  const entries = [visible('h1'), visible('t1', { kind: 'transport', area: 'south', title: 'Van', address: undefined }), visible('h2', { area: 'south' }, false)];

  it('Scenario: a printed list carries no exact address by default', () => {
    const sheet = printList(entries, { now: NOW });
    expect(sheet.rows).toHaveLength(3);
    expect(JSON.stringify(sheet)).not.toContain('Calle Falsa');
    expect(sheet.rows.every((r) => !('address' in r))).toBe(true);
    expect(sheet.addressWarningKey).toBeNull();
  });

  it('Scenario: a printed list says when to destroy it', () => {
    const sheet = printList(entries, { now: NOW });
    expect(sheet.printed).toBe(NOW);
    expect(sheet.expires).toBe(NOW + 7 * DAY);
    expect(sheet.destroyAfterKey).toBe('sanctuary.print.destroyAfter');
    expect(printList(entries, { now: NOW, validDays: 2 }).expires).toBe(NOW + 2 * DAY);
    for (const bad of [0, 31, 1.5]) expect(() => printList(entries, { now: NOW, validDays: bad })).toThrow(RangeError);
  });

  it('Scenario: addresses are printed only when asked, with a warning', () => {
    const sheet = printList(entries, { now: NOW, includeAddresses: true });
    expect(sheet.rows.find((r) => r.id === 'h1')?.address).toBe('Calle Falsa 123, piso 2');
    expect(sheet.rows.find((r) => r.id === 't1')).not.toHaveProperty('address');
    expect(sheet.addressWarningKey).toBe('sanctuary.print.containsAddresses');
  });

  it('Scenario: a printed list can be filtered by area and kind, and leaves out expired entries', () => {
    expect(printList(entries, { now: NOW, area: 'south' }).rows.map((r) => r.id)).toEqual(['t1', 'h2']);
    expect(printList(entries, { now: NOW, kind: 'housing', area: 'south' }).rows.map((r) => r.id)).toEqual(['h2']);
    expect(printList([visible('old', { expires: NOW })], { now: NOW }).rows).toEqual([]);
    const row = printList(entries, { now: NOW, area: 'south' }).rows[1];
    expect(row).toMatchObject({ verified: false, lastCheckIn: NOW - DAY, entryExpires: NOW + 60 * DAY });
  });
});

describe('noticeboard', () => {
  it('Scenario: the noticeboard lists current public offers and needs without author ids', () => {
    const me = createIdentity();
    const offer = createIntent(me, { kind: 'offer', category: 'food', title: 'Bread', description: 'x'.repeat(400), area: 'north', expires: NOW + DAY }, NOW - 10);
    const need = createIntent(me, { kind: 'need', category: 'tools', title: 'Ladder', description: 'for a roof', area: 'south' }, NOW - 5);
    const trustedOnly = createIntent(me, { kind: 'offer', category: 'food', title: 'Secret', description: '', audience: 'trusted' }, NOW);
    const expired = createIntent(me, { kind: 'offer', category: 'food', title: 'Old', description: '', expires: NOW }, NOW - DAY);
    const board = noticeboard([offer, need, trustedOnly, expired], { now: NOW });
    expect(board.offers.map((r) => r.title)).toEqual(['Bread']);
    expect(board.needs.map((r) => r.title)).toEqual(['Ladder']);
    expect(board.offers[0].note).toHaveLength(280);
    expect(board.offers[0].until).toBe(NOW + DAY);
    expect(JSON.stringify(board)).not.toContain(me.agentId);
    expect(board.expires).toBe(NOW + 7 * DAY);
    expect(noticeboard([offer, need], { now: NOW, area: 'south' }).offers).toEqual([]);
    expect(noticeboard([offer, need], { now: NOW, category: 'food' }).needs).toEqual([]);
    expect(noticeboard([offer, need], { now: NOW, maxRows: 0 }).offers).toEqual([]);
  });
});
