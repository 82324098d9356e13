import { secretbox, secretboxOpen, SECRETBOX_NONCE_BYTES } from '../crypto/secretbox.ts';
import { randomId, toBase64Url } from '../crypto/encoding.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import { signRecord } from '../crypto/sign.ts';
import { keysToTry } from '../audience/keyring.ts';
import { SanctuaryInputError } from './errors.ts';
import type { Random } from './key.ts';
import { entryProblem } from './plain.ts';
import { decodeContent, encodeContent, signContent, type ContentMeta, type SanctuaryContent } from './content.ts';
import { asObject, bytesOf, isEpoch, isId, isTime } from '../audience/shape.ts';
import type { Keyring, SanctuaryEntryPlain, SanctuaryEntryRecord, SanctuaryKey } from './types.ts';

/** Box signed content under `key`; the record around it is signed by whoever seals it (its writer, or a steward carrying it into a new epoch). */
function seal(sealer: Identity, key: SanctuaryKey, content: SanctuaryContent, random: Random): SanctuaryEntryRecord {
  const nonce = random(SECRETBOX_NONCE_BYTES);
  const ct = secretbox(encodeContent(content), nonce, key.key);
  const { id, created, updated } = content;
  return signRecord<SanctuaryEntryRecord>(
    { type: 'sanctuary-entry', id, created, updated, author: sealer.agentId, epoch: key.epoch, nonce: toBase64Url(nonce), ct: toBase64Url(ct) },
    sealer.signSecretKey,
  );
}

function written(steward: Identity, key: SanctuaryKey, plain: SanctuaryEntryPlain, meta: ContentMeta, random: Random): SanctuaryEntryRecord {
  const problem = entryProblem(plain);
  if (problem) throw new SanctuaryInputError('bad-entry', problem);
  return seal(steward, key, signContent(steward, meta, plain), random);
}

/** A new entry sealed with the current sanctuary key and signed by the steward writing it. */
export function createEntry(steward: Identity, key: SanctuaryKey, plain: SanctuaryEntryPlain, now: number, random: Random = randomBytes): SanctuaryEntryRecord {
  return written(steward, key, plain, { id: randomId(random), created: now, updated: now }, random);
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
  return written(steward, key, plain, { id: prev.id, created: prev.created, updated: Math.max(now, prev.updated + 1) }, random);
}

/**
 * The same entry under another key, keeping id and times (rotation, and a late entry carried into the
 * current epoch). Signed content stays its writer's; an entry sealed before content was signed has
 * none, so `sealer` signs it as its writer, as every re-seal did before.
 */
export function resealEntry(sealer: Identity, key: SanctuaryKey, prev: ContentMeta & { entry: SanctuaryEntryPlain; content?: SanctuaryContent | null }, random: Random = randomBytes): SanctuaryEntryRecord {
  return prev.content ? seal(sealer, key, prev.content, random) : written(sealer, key, prev.entry, prev, random);
}

export function isEntryShape(v: unknown): v is SanctuaryEntryRecord {
  const e = asObject(v);
  return (
    !!e && e.type === 'sanctuary-entry' && isId(e.id) && typeof e.author === 'string' && isEpoch(e.epoch) &&
    bytesOf(e.nonce, SECRETBOX_NONCE_BYTES) !== null && bytesOf(e.ct) !== null &&
    isTime(e.created) && isTime(e.updated) && typeof e.sig === 'string'
  );
}

export type OpenResult =
  | { ok: true; entry: SanctuaryEntryPlain; content: SanctuaryContent | null }
  | { ok: false; reason: 'no-key' | 'cannot-decrypt' | 'malformed-plaintext' };

/** Decrypt a well-shaped record with the keys of its epoch. Checks neither signature (collectEntries does). */
export function openEntry(record: SanctuaryEntryRecord, keyring: Keyring): OpenResult {
  const keys = keysToTry(keyring, record.epoch);
  if (keys.length === 0) return { ok: false, reason: 'no-key' };
  const nonce = bytesOf(record.nonce)!;
  const ct = bytesOf(record.ct)!;
  for (const k of keys) {
    const bytes = secretboxOpen(ct, nonce, k);
    if (!bytes) continue;
    const opened = decodeContent(bytes);
    return opened ? { ok: true, ...opened } : { ok: false, reason: 'malformed-plaintext' };
  }
  return { ok: false, reason: 'cannot-decrypt' };
}
