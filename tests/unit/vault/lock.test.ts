import { describe, expect, it, vi } from 'vitest';

// Count scrypt derivations: an unlock must cost exactly one, whatever PIN is typed.
const calls = vi.hoisted(() => ({ n: 0 }));
vi.mock('@noble/hashes/scrypt.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('@noble/hashes/scrypt.js')>();
  return { ...orig, scryptAsync: (...args: Parameters<typeof orig.scryptAsync>) => (calls.n++, orig.scryptAsync(...args)) };
});

import { changePin, noLock, openDeviceLock, openBytes, parseLockRecord, sealBytes, setupLock, unlock, VaultError, type PinLockRecord } from '../../../src/core/vault/index.ts';
import { FAST, seeded } from './helpers.ts';

async function code(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
    return undefined;
  } catch (e) {
    return e instanceof VaultError ? e.code : `untyped: ${String(e)}`;
  }
}

describe('PIN lock', () => {
  it('Scenario: the real PIN opens the data key, a wrong PIN does not', async () => {
    const { record, dek } = await setupLock('2468', '1357', FAST, seeded(1));
    const json = JSON.parse(JSON.stringify(record)) as PinLockRecord;
    const real = await unlock(json, '2468');
    expect(real).toEqual({ kind: 'real', dek });
    expect(await unlock(json, '0000')).toEqual({ kind: 'wrong' });
    expect(await unlock(json, '')).toEqual({ kind: 'wrong' });
  });

  it('Scenario: the duress PIN shreds the data key so the real PIN never opens it again', async () => {
    const { record, dek } = await setupLock('2468', '1357', FAST, seeded(2));
    const duress = await unlock(record, '1357', seeded(3));
    expect(duress.kind).toBe('duress');
    if (duress.kind !== 'duress') return;
    // The shredded record looks like any lock record: same fields, same lengths, still parses.
    expect(parseLockRecord(duress.shredded)).toEqual(duress.shredded);
    expect(duress.shredded.wrapped).not.toBe(record.wrapped);
    expect(duress.shredded.wrapped.length).toBe(record.wrapped.length);
    expect(await unlock(duress.shredded, '2468')).toEqual({ kind: 'wrong' });
    // The duress PIN keeps opening the same decoy, so a second demand looks the same.
    const again = await unlock(duress.shredded, '1357', seeded(4));
    expect(again.kind).toBe('duress');
    if (again.kind === 'duress') expect(again.decoyDek).toEqual(duress.decoyDek);
    expect(duress.decoyDek).not.toEqual(dek);
  });

  it('Scenario: real, duress and wrong PINs cost the same work', async () => {
    const { record } = await setupLock('2468', '1357', FAST, seeded(5));
    for (const pin of ['2468', '1357', '9999']) {
      calls.n = 0;
      await unlock(record, pin);
      expect(calls.n, pin).toBe(1);
    }
  });

  it('Scenario: the record does not reveal whether a duress PIN exists or anything about the real PIN', async () => {
    const withDuress = await setupLock('2468', '1357', FAST, seeded(6));
    const without = await setupLock('2468', null, FAST, seeded(6));
    expect(Object.keys(without.record).sort()).toEqual(Object.keys(withDuress.record).sort());
    expect(without.record.duress.length).toBe(withDuress.record.duress.length);
    expect(await unlock(without.record, '1357')).toEqual({ kind: 'wrong' });
    // The verifier depends on the duress PIN and salt only: two locks with different real PINs, same
    // duress PIN and same salt store the same verifier.
    const a = await setupLock('1111', '5555', FAST, seeded(7));
    const b = await setupLock('2222', '5555', FAST, seeded(7));
    expect(a.record.salt).toBe(b.record.salt);
    expect(a.record.duress).toBe(b.record.duress);
  });

  it('Scenario: changing the PIN re-wraps the same data key', async () => {
    const { record, dek } = await setupLock('2468', '1357', FAST, seeded(8));
    const sealed = sealBytes(dek, new Uint8Array([7, 7, 7]));
    const changed = await changePin(dek, '8642', '7531', FAST, seeded(9));
    expect(changed.salt).not.toBe(record.salt);
    expect(await unlock(changed, '2468')).toEqual({ kind: 'wrong' });
    const real = await unlock(changed, '8642');
    expect(real.kind).toBe('real');
    if (real.kind === 'real') expect(openBytes(real.dek, sealed)).toEqual(new Uint8Array([7, 7, 7]));
    expect((await unlock(changed, '7531')).kind).toBe('duress');
  });

  it('Scenario: unusable PINs and parameters are refused with typed errors', async () => {
    expect(await code(setupLock('12', null, FAST))).toBe('malformed');
    expect(await code(setupLock('2468', '2468', FAST))).toBe('malformed');
    expect(await code(setupLock('2468', null, { N: 2 ** 30, r: 8, p: 1 }))).toBe('bad-params');
    expect(await code(setupLock('2468', null, { N: 1000, r: 8, p: 1 }))).toBe('bad-params');
    expect(await code(setupLock('2468', null, { N: 2 ** 12, r: 0, p: 1 }))).toBe('bad-params');
    // Within each bound but 2 GiB together: refused before scrypt would fail on memory.
    expect(await code(setupLock('2468', null, { N: 2 ** 20, r: 16, p: 1 }))).toBe('bad-params');
  });

  it('Scenario: a corrupted or crafted lock record is a typed error', async () => {
    const { record } = await setupLock('2468', null, FAST, seeded(10));
    const bad: unknown[] = [null, 7, {}, { ...record, v: 2 }, { ...record, kind: 'x' }, { ...record, salt: 'short' }, { ...record, wrapped: '!!' }, { ...record, duress: undefined }, { ...record, scrypt: { N: 2 ** 24, r: 8, p: 1 } }];
    for (const r of bad) expect(await code(unlock(r as PinLockRecord, '2468'))).toMatch(/^(malformed|bad-params)$/);
  });

  it('Scenario: skipping the PIN still keeps a data key wrapped under a device key', () => {
    const { record, deviceKey, dek } = noLock(seeded(11));
    expect(openDeviceLock(JSON.parse(JSON.stringify(record)), deviceKey)).toEqual(dek);
    let err: unknown;
    try {
      openDeviceLock(record, seeded(12)(32));
    } catch (e) {
      err = e;
    }
    expect((err as VaultError).code).toBe('wrong-key');
  });
});
