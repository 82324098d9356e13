/**
 * `npm run bench -- audience`: what sealed audiences cost a phone. Opening 10,000 sealed members-only
 * posts (secretbox + JSON; the inner signature check is measured on its own, since the app memoises it
 * and bench/signatures.ts covers it); recalling them on a later read (SealedMemo, what a phone does
 * after its first read); a steward re-sealing 1,000 entries on a rotation (target ≤ 5 s); and a phone
 * working out its keyring from a community doc of 500 envelopes (100 members, 5 epochs), which since keys
 * count per key reads every organiser's envelope, against reading only the envelopes to it (the baseline,
 * what it did before), in the same run.
 */
import { addKey, buildKeyring, chainOf, newEpochKey, open, resealAll, sealEnvelope, sealWith, type Keyring, type SealedRecord } from '../src/core/audience/index.ts';
import { createProfile } from '../src/core/model/community.ts';
import { forgetGoodSignatures } from '../src/core/crypto/sign.ts';
import { createIdentity } from '../src/core/crypto/keys.ts';
import { signRecord, verifyRecord } from '../src/core/crypto/sign.ts';
import { SealedMemo } from '../src/core/model/sealed-memo.ts';

type Row = Record<string, unknown>;

const POSTS = 10_000;
const DISTINCT = 100;
const RESEAL = 1_000;
const VERIFY_SAMPLE = 200;

function posts(n: number): object[] {
  const author = createIdentity();
  return Array.from({ length: n }, (_, i) =>
    signRecord<{ type: 'post'; id: string; author: string; text: string; sig: string }>(
      { type: 'post', id: `p${i}`, author: author.agentId, text: `Members-only offer ${i}: spare bread at the north hall after six, bring a bag.` },
      author.signSecretKey,
    ),
  );
}

function ms(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}

export async function run(): Promise<Row[]> {
  const k1 = newEpochKey(1);
  const ring1: Keyring = addKey(new Map(), k1);
  // 100 distinctly signed posts, each sealed 100 times with its own nonce: 10,000 boxes to open.
  const signed = posts(DISTINCT);
  const sealed: SealedRecord[] = Array.from({ length: POSTS }, (_, i) => sealWith(signed[i % DISTINCT], 'members', k1));
  const trustSig = () => true;

  let t = performance.now();
  let opened = 0;
  for (const s of sealed) if (open(s, ring1, trustSig).ok) opened++;
  const openMs = ms(t);

  // A phone reading the feed again (each change, each start from its index): recalled, not opened (SealedMemo).
  const memo = new SealedMemo();
  for (const s of sealed) {
    const o = open<Record<string, unknown>>(s, ring1, trustSig);
    if (o.ok) memo.opened(s, o.record, o.key);
  }
  t = performance.now();
  let recalled = 0;
  for (const s of sealed) if (memo.recall(s, ring1)) recalled++;
  const recallMs = ms(t);

  t = performance.now();
  for (const s of sealed.slice(0, VERIFY_SAMPLE)) open(s, ring1, verifyRecord);
  const verifyMs = ms(t);

  const ring2 = addKey(ring1, newEpochKey(2));
  t = performance.now();
  const { resealed } = resealAll(sealed.slice(0, RESEAL), ring2, undefined, trustSig);
  const resealMs = ms(t);

  const keyring = keyringRows();

  return [
    ...keyring,
    { name: 'open-sealed-posts', posts: POSTS, opened, ms: openMs, perPostUs: Math.round((openMs * 1000) / POSTS), signatureCheck: 'memoised (skipped)' },
    { name: 'recall-sealed-posts', posts: POSTS, recalled, ms: recallMs, perPostUs: Math.round((recallMs * 1000) / POSTS), note: 'a feed read again: SealedMemo digest lookup instead of decrypt + signature check' },
    { name: 'open-sealed-posts-with-signature', posts: VERIFY_SAMPLE, ms: verifyMs, perPostUs: Math.round((verifyMs * 1000) / VERIFY_SAMPLE), signatureCheck: 'tweetnacl' },
    { name: 'reseal-on-rotation', entries: RESEAL, resealed: resealed.length, ms: resealMs, targetMs: 5000, withinTarget: resealMs <= 5000 },
  ];
}

const MEMBERS = 100;
const EPOCHS = 5;

/** 500 envelopes from one organiser: each epoch's chain boxed to every member. */
function keyringRows(): Row[] {
  const organiser = createIdentity();
  const people = Array.from({ length: MEMBERS }, (_, i) => {
    const id = createIdentity();
    return { id, profile: createProfile(id, `Member ${i}`, Date.now()) };
  });
  const organiserProfile = createProfile(organiser, 'Organiser', Date.now());
  let ring: Keyring = new Map();
  const envelopes = [];
  for (let e = 1; e <= EPOCHS; e++) {
    ring = addKey(ring, newEpochKey(e));
    for (const p of people) envelopes.push(sealEnvelope(organiser, 'members', chainOf(ring), p.profile, Date.now()));
  }
  const me = people[0];
  const profileOf = (a: string) => (a === organiser.agentId ? organiserProfile : undefined);
  const isIssuer = (a: string) => a === organiser.agentId;
  const mine = envelopes.filter((e) => e.to === me.id.agentId);
  // Cold signature cache for both, as on a phone's first read after it starts.
  forgetGoodSignatures();
  let t = performance.now();
  const before = buildKeyring(me.id, 'members', mine, profileOf, isIssuer).keyring;
  const baselineMs = ms(t);
  forgetGoodSignatures();
  t = performance.now();
  const now = buildKeyring(me.id, 'members', envelopes, profileOf, isIssuer).keyring;
  const allMs = ms(t);
  return [
    { name: 'keyring-from-doc.baseline', envelopes: mine.length, keys: chainOf(before).length, ms: baselineMs, note: 'only the envelopes to me (keys counted per envelope, before)' },
    { name: 'keyring-from-doc', envelopes: envelopes.length, keys: chainOf(now).length, ms: allMs, ratio: Math.round((allMs / Math.max(baselineMs, 0.1)) * 100) / 100, note: 'every organiser envelope read for key ids it names (keys counted per key)' },
  ];
}
