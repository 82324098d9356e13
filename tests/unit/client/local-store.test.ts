import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intentRow } from '../../../src/client/local-store.ts';
import { memoryStore } from '../../../src/client/memory-store.ts';
import { PhoneVault } from '../../../src/client/vault.ts';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { createIntent } from '../../../src/core/model/intent.ts';
import type { Intent } from '../../../src/core/model/types.ts';

const me = createIdentity();
const AUDIENCES = ['public', 'local', 'trusted', 'private'] as const;
const intentArb = fc
  .record({
    kind: fc.constantFrom('offer' as const, 'need' as const),
    category: fc.constantFrom('food', 'tools', 'shelter'),
    title: fc.string({ minLength: 6, maxLength: 40 }).filter((s) => s.trim().length >= 6 && !/["\\]/.test(s)),
    area: fc.constantFrom('north', 'river'),
    audience: fc.constantFrom(...AUDIENCES),
  })
  .map((i) => createIntent(me, { ...i, description: 'd' }, Date.now()));

describe('client: rows of the local post index in Node', () => {
  it('Scenario: a public post is indexed in the clear; any other is sealed, its title, category and area nowhere in the row, and opens back whole', async () => {
    const vault = new PhoneVault(memoryStore());
    await vault.create(null, null);
    fc.assert(
      fc.property(intentArb, (i: Intent) => {
        const row = intentRow(i, (x) => vault.seal(x));
        expect(row).toMatchObject({ key: `${i.author}/${i.id}`, kind: i.kind, author: i.author, status: i.status, updated: i.updated });
        if (i.audience === 'public') {
          expect(row.record).toEqual(i);
          expect(row).toMatchObject({ category: i.resourceConformsTo, area: i.atLocation });
        } else {
          expect(row.record).toBeNull();
          expect(row).toMatchObject({ category: '', area: '' });
          expect(Buffer.from(row.sealed!).toString('latin1')).not.toContain(i.name);
          expect(vault.open<Intent>(row.sealed!)).toEqual(i);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('Scenario: without a sealing key (a phone that only shows public posts) a row keeps the record itself', () => {
    const i = createIntent(me, { kind: 'offer', category: 'food', title: 'Bread', description: '', audience: 'trusted' }, Date.now());
    expect(intentRow(i).record).toEqual(i);
  });
});
