import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import nacl from 'tweetnacl';
import { createIdentity } from '../../../src/core/crypto/keys.ts';
import { primeSignatures, useSignatureCheck, verifyRecord, type AsyncSignatureCheck } from '../../../src/core/crypto/sign.ts';
import { createIntent } from '../../../src/core/model/intent.ts';
import { webCryptoSignatureCheck } from '../../../src/platform/ed25519.ts';

afterEach(() => useSignatureCheck(undefined));

const me = createIdentity();
const offer = (title: string) => createIntent(me, { kind: 'offer', category: 'tools', title, description: '' }, Date.now());
const naclAsync: AsyncSignatureCheck = async (m, s, pk) => nacl.sign.detached.verify(m, s, pk);

/** Counts synchronous ed25519 checks (tweetnacl underneath). */
function countSyncChecks(): { n: number } {
  const count = { n: 0 };
  useSignatureCheck((m, s, pk) => (count.n++, nacl.sign.detached.verify(m, s, pk)));
  return count;
}

describe('signatures checked in a batch before the domain code reads them', () => {
  it('records primed by the native check are read without another ed25519 check', async () => {
    const check = await webCryptoSignatureCheck();
    expect(check).toBeDefined();
    const recs = Array.from({ length: 20 }, (_, i) => offer(`Saw ${i}`));
    expect(await primeSignatures(recs, check!)).toBe(20);
    const count = countSyncChecks();
    expect(recs.every((r) => verifyRecord(r))).toBe(true);
    expect(count.n).toBe(0);
  });

  it('a record altered after signing is still refused, primed or not, and a failed batch check decides nothing', async () => {
    const good = offer('Ladder');
    const forged = { ...good, name: 'Two ladders' };
    expect(await primeSignatures([good, forged, { author: 'x', sig: 'y' }, null, 'text'], naclAsync)).toBe(1);
    expect(verifyRecord(good)).toBe(true);
    expect(verifyRecord(forged)).toBe(false);
    // A native check that throws or says no leaves the record to the synchronous check.
    const other = offer('Hammer');
    expect(await primeSignatures([other], async () => Promise.reject(new Error('gone')))).toBe(0);
    expect(await primeSignatures([other], async () => false)).toBe(0);
    const count = countSyncChecks();
    expect(verifyRecord(other)).toBe(true);
    expect(count.n).toBe(1);
  });

  it('priming never changes what verifyRecord answers (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 20 }), fc.boolean(), fc.boolean(), async (title, tamper, prime) => {
        const rec = offer(title.trim() || 'x');
        const seen = tamper ? { ...rec, note: `${rec.note}!` } : rec;
        if (prime) await primeSignatures([seen], naclAsync);
        expect(verifyRecord(seen)).toBe(!tamper);
      }),
      { numRuns: 25 },
    );
  });
});
