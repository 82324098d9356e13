import { secretbox, secretboxOpen, SECRETBOX_NONCE_BYTES } from '../crypto/secretbox.ts';
import { randomId, toBase64Url } from '../crypto/encoding.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import { signRecord } from '../crypto/sign.ts';
import { SanctuaryInputError } from './errors.ts';
import type { Random } from './key.ts';
import { decodePlain, encodePlain, entryProblem } from './plain.ts';
import { asObject, bytesOf, isEpoch, isId, isTime } from '../audience/shape.ts';
import type { Keyring, SanctuaryEntryPlain, SanctuaryEntryRecord, SanctuaryKey } from './types.ts';

interface Meta {
  id: string;
  created: number;
  updated: number;
}

function seal(steward: Identity, key: SanctuaryKey, plain: SanctuaryEntryPlain, meta: Meta, random: Random): SanctuaryEntryRecord {
  const problem = entryProblem(plain);
  if (problem) throw new SanctuaryInputError('bad-entry', problem);
  const nonce = random(SECRETBOX_NONCE_BYTES);
  const ct = secretbox(encodePlain(plain), nonce, key.key);
  return signRecord<SanctuaryEntryRecord>(
    { type: 'sanctuary-entry', ...meta, author: steward.agentId, epoch: key.epoch, nonce: toBase64Url(nonce), ct: toBase64Url(ct) },
    steward.signSecretKey,
  );
}

/** A new entry sealed with the current sanctuary key and signed by the steward writing it. */
export function createEntry(steward: Identity, key: SanctuaryKey, plain: SanctuaryEntryPlain, now: number, random: Random = randomBytes): SanctuaryEntryRecord {
  return seal(steward, key, plain, { id: randomId(random), created: now, updated: now }, random);
}

/** An edit: same id, new contents, a later `updated` (so every replica picks it over the old one). */
export function editEntry(
  steward: Identity,
  key: SanctuaryKey,
  prev: Pick<SanctuaryEntryRecord, 'id' | 'created' | 'updated'>,
  plain: SanctuaryEntryPlain,
  now: number,
  random: Random = randomBytes,
): SanctuaryEntryRecord {
  return seal(steward, key, plain, { id: prev.id, created: prev.created, updated: Math.max(now, prev.updated + 1) }, random);
}

/** Re-seal the same contents under another key, keeping id and times (used by rotation). */
export function resealEntry(steward: Identity, key: SanctuaryKey, prev: Meta, plain: SanctuaryEntryPlain, random: Random = randomBytes): SanctuaryEntryRecord {
  return seal(steward, key, plain, { id: prev.id, created: prev.created, updated: prev.updated }, random);
}

export function isEntryShape(v: unknown): v is SanctuaryEntryRecord {
  const e = asObject(v);
  return (
    !!e && e.type === 'sanctuary-entry' && isId(e.id) && typeof e.author === 'string' && isEpoch(e.epoch) &&
    bytesOf(e.nonce, SECRETBOX_NONCE_BYTES) !== null && bytesOf(e.ct) !== null &&
    isTime(e.created) && isTime(e.updated) && typeof e.sig === 'string'
  );
}

export type OpenResult = { ok: true; entry: SanctuaryEntryPlain } | { ok: false; reason: 'no-key' | 'cannot-decrypt' | 'malformed-plaintext' };

/** Decrypt a well-shaped record with the keys of its epoch. Does not check the signature. */
export function openEntry(record: SanctuaryEntryRecord, keyring: Keyring): OpenResult {
  const keys = keyring.get(record.epoch);
  if (!keys || keys.length === 0) return { ok: false, reason: 'no-key' };
  const nonce = bytesOf(record.nonce)!;
  const ct = bytesOf(record.ct)!;
  for (const k of keys) {
    const bytes = secretboxOpen(ct, nonce, k);
    if (!bytes) continue;
    const entry = decodePlain(bytes);
    return entry ? { ok: true, entry } : { ok: false, reason: 'malformed-plaintext' };
  }
  return { ok: false, reason: 'cannot-decrypt' };
}
