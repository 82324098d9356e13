import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../src/client/memory-store.ts';
import { PhoneVault } from '../../../src/client/vault.ts';

/** Every stored value as bytes/text, to look for plaintext in it. */
async function stored(local: ReturnType<typeof memoryStore>): Promise<string> {
  const values = await Promise.all((await local.settings.keys()).map((k) => local.settings.get<unknown>(k)));
  return values.map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : JSON.stringify(v))).join('\n');
}

describe('client: the vault (data key and sealed secrets) in Node', () => {
  it('Scenario: any secret put is got back equal, and its text is nowhere in storage', async () => {
    const local = memoryStore();
    const vault = new PhoneVault(local);
    await vault.create(null, null);
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 6, maxLength: 40 }).filter((s) => s.trim().length >= 6 && !/["\\]/.test(s)), fc.jsonValue(), async (marker, extra) => {
        const value = { marker, extra };
        await vault.put('k', value);
        expect(await vault.get('k')).toEqual(JSON.parse(JSON.stringify(value)));
        expect(await stored(local)).not.toContain(marker);
      }),
      { numRuns: 60 },
    );
  });

  it('Scenario: a wrong PIN is refused and opens nothing; the real PIN opens the same secrets after a restart', async () => {
    const local = memoryStore();
    const first = new PhoneVault(local);
    await first.create('2468', null);
    await first.put('name', 'Ana');
    expect(await first.kind()).toBe('pin');

    const restarted = new PhoneVault(local);
    expect(await restarted.get('name')).toBeUndefined(); // locked: nothing readable
    expect(await restarted.unlock('1111')).toBe('wrong');
    expect(restarted.dek).toBeUndefined();
    await expect(restarted.put('name', 'Mallory')).rejects.toThrow('locked');
    expect(await restarted.unlock('2468')).toBe('real');
    expect(await restarted.get('name')).toBe('Ana');
  });

  it('Scenario: changing the PIN keeps every secret, and the device key is gone', async () => {
    const local = memoryStore();
    const vault = new PhoneVault(local);
    await vault.create(null, null);
    await vault.put('name', 'Ana');
    await vault.setPin('9753', null, { name: 'Ana', communityName: 'Riverside' });
    expect(await local.settings.keys()).not.toContain('deviceKey');
    const again = new PhoneVault(local);
    expect(await again.kind()).toBe('pin');
    expect(await again.unlock('9753')).toBe('real');
    expect(await again.get('name')).toBe('Ana');
  });

  it('Scenario: destroying the keys leaves only noise; the duress PIN shreds the secrets and keeps public posts', async () => {
    const local = memoryStore();
    const vault = new PhoneVault(local);
    await vault.create('2468', '8642');
    await vault.put('identity', { secret: 'keys' });
    await local.intents.replaceAuthor('a', [
      { key: 'a/1', kind: 'offer', category: 'food', area: '', author: 'a', status: 'open', updated: 1, record: null, sealed: vault.seal({ title: 'quiet' }) },
      { key: 'a/2', kind: 'offer', category: 'food', area: '', author: 'a', status: 'open', updated: 2, record: null },
    ]);
    const duress = new PhoneVault(local);
    expect(await duress.unlock('8642')).toBe('duress');
    await duress.shredSecrets();
    expect((await local.settings.keys()).filter((k) => k.startsWith('secret:'))).toEqual([]);
    expect((await local.intents.open()).map((r) => r.key)).toEqual(['a/2']);
    // The real PIN opens nothing any more: the lock record was overwritten first.
    expect(await new PhoneVault(local).unlock('2468')).not.toBe('real');

    const other = memoryStore();
    const v2 = new PhoneVault(other);
    await v2.create(null, null);
    await v2.put('name', 'Ana');
    await v2.destroyKeys();
    expect(await v2.kind()).toBe('none');
    expect(await v2.get('name')).toBeUndefined();
  });
});
