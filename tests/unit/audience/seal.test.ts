import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AudienceInputError, addKey, buildKeyring, newEpochKey, open, resealAll, seal, sealEnvelope, sealWith, type Keyring } from '../../../src/core/audience/index.ts';
import { signRecord } from '../../../src/core/crypto/sign.ts';
import { NOW, person, post } from './people.ts';

const ring = (...keys: ReturnType<typeof newEpochKey>[]): Keyring => keys.reduce<Keyring>((r, k) => addKey(r, k), new Map());

describe('sealed records', () => {
  it('Scenario: a members-only post is sealed before it enters a doc; a relay sees neither text, author nor signature', () => {
    const rosa = person('Rosa');
    const k = newEpochKey(1);
    const rec = post(rosa, 'p1', 'Spare insulin at the north hall');
    const sealed = seal(rec, 'members', ring(k));
    expect(Object.keys(sealed).sort()).toEqual(['audience', 'box', 'epoch', 'nonce']);
    const onDisk = JSON.stringify(sealed);
    for (const secret of ['insulin', rosa.id.agentId, rec.sig, 'Rosa']) expect(onDisk).not.toContain(secret);
    const opened = open(sealed, ring(k));
    expect(opened).toEqual({ ok: true, record: rec, epoch: 1, key: k.key });
  });

  it('Scenario: a sealed record opens only with its epoch key, its own audience and a valid inner signature', () => {
    const rosa = person('Rosa');
    const k1 = newEpochKey(1);
    const rec = post(rosa, 'p1', 'hello');
    const sealed = seal(rec, 'members', ring(k1));
    expect(open(sealed, new Map())).toEqual({ ok: false, reason: 'no-key' });
    expect(open(sealed, addKey(new Map(), { epoch: 1, key: newEpochKey(1).key }))).toEqual({ ok: false, reason: 'cannot-decrypt' });
    expect(open({ ...sealed, audience: 'stewards' }, ring(k1))).toEqual({ ok: false, reason: 'wrong-audience' });
    const forged = sealWith({ ...rec, text: 'changed' }, 'members', k1);
    expect(open(forged, ring(k1))).toEqual({ ok: false, reason: 'forged-signature' });
    expect(() => seal(rec, 'members', new Map())).toThrow(AudienceInputError);
    expect(() => seal({ no: 'signature' }, 'members', ring(k1))).toThrow(AudienceInputError);
  });

  it('Scenario: sealed lengths do not tell short posts apart', () => {
    const rosa = person('Rosa');
    const k = ring(newEpochKey(1));
    const a = seal(post(rosa, 'a', 'hi'), 'members', k);
    const b = seal(post(rosa, 'b', 'x'.repeat(120)), 'members', k);
    expect(a.box.length).toBe(b.box.length);
  });

  it('Scenario: re-sealing after a rotation keeps every record and its author signature', () => {
    const rosa = person('Rosa');
    const k1 = newEpochKey(1);
    const k2 = newEpochKey(2);
    const old = [0, 1, 2].map((i) => seal(post(rosa, `p${i}`, `post ${i}`), 'members', ring(k1)));
    const junk = { audience: 'members' as const, epoch: 1, nonce: old[0].nonce, box: old[1].box };
    const { resealed, kept } = resealAll([...old, junk], ring(k1, k2));
    expect(resealed.map((s) => s.epoch)).toEqual([2, 2, 2]);
    expect(kept).toEqual([junk]);
    expect(resealed.map((s) => open(s, ring(k2)))).toEqual(old.map((s) => open(s, ring(k1))).map((o) => (o.ok ? { ...o, epoch: 2, key: k2.key } : o)));
  });

  it('Scenario: arbitrary junk never throws when opened (property)', () => {
    const k = ring(newEpochKey(1));
    fc.assert(
      fc.property(fc.anything(), fc.record({ audience: fc.constantFrom('members', 'sanctuary', 'x'), epoch: fc.oneof(fc.nat(), fc.double()), nonce: fc.string(), box: fc.string() }), (a, b) => {
        expect(open(a, k).ok).toBe(false);
        expect(open(b, k).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('key chains', () => {
  it('Scenario: an envelope carries every older epoch key, so a member let in late reads everything', () => {
    const steward = person('Ana');
    const late = person('Late');
    const keys = [newEpochKey(1), newEpochKey(2), newEpochKey(3)];
    const posts = keys.map((k, i) => seal(post(steward, `p${i}`, `epoch ${k.epoch}`), 'members', ring(k)));
    const env = sealEnvelope(steward.id, 'members', keys, late.profile, NOW);
    expect(env.epoch).toBe(3);
    expect(env.kids).toHaveLength(3);
    const { keyring, rejected } = buildKeyring(late.id, 'members', [env], (a) => (a === steward.id.agentId ? steward.profile : undefined), (a) => a === steward.id.agentId);
    expect(rejected).toEqual([]);
    expect(posts.map((p) => open(p, keyring).ok)).toEqual([true, true, true]);
  });

  it('Scenario: an envelope whose boxed keys do not match its public key ids is refused', () => {
    const steward = person('Ana');
    const m = person('M');
    const env = sealEnvelope(steward.id, 'members', [newEpochKey(1)], m.profile, NOW);
    const other = sealEnvelope(steward.id, 'members', [newEpochKey(1)], m.profile, NOW);
    const { sig: _s, ...body } = env;
    const lying = signRecord<typeof env>({ ...body, kids: other.kids }, steward.id.signSecretKey);
    const { keyring, rejected } = buildKeyring(m.id, 'members', [lying], () => steward.profile, () => true);
    expect(keyring.size).toBe(0);
    expect(rejected.map((r) => r.reason)).toEqual(['bad-key']);
  });
});
