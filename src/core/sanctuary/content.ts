import { canonicalJson } from '../crypto/canonical.ts';
import { utf8 } from '../crypto/encoding.ts';
import type { Identity } from '../crypto/keys.ts';
import { signRecord, type Signed } from '../crypto/sign.ts';
import { asObject, isId, isTime } from '../audience/shape.ts';
import { entryProblem, normaliseEntry, paddedLength } from './plain.ts';
import type { SanctuaryEntryPlain } from './types.ts';

/**
 * What a sanctuary box holds: the entry signed by the steward who wrote it, inside the box (sign, then
 * seal). A rotation re-seals this signed content as it is, so the entry stays the writer's: before, the
 * steward re-sealing it signed it as their own, and once that steward was removed (or lost the vouches
 * that made them one) every entry they had carried into a new epoch was refused on every phone.
 */
export interface SanctuaryContent extends Signed {
  type: 'sanctuary-content';
  id: string;
  created: number;
  updated: number;
  entry: SanctuaryEntryPlain;
}

export interface ContentMeta {
  id: string;
  created: number;
  updated: number;
}

/** The entry as `steward` writes it (the caller checked it with entryProblem). */
export function signContent(steward: Identity, meta: ContentMeta, entry: SanctuaryEntryPlain): SanctuaryContent {
  return signRecord<SanctuaryContent>({ type: 'sanctuary-content', id: meta.id, created: meta.created, updated: meta.updated, author: steward.agentId, entry: normaliseEntry(entry) }, steward.signSecretKey);
}

/** Padded canonical JSON (see PAD_MIN): the box's length tells a relay little. */
export function encodeContent(c: SanctuaryContent | SanctuaryEntryPlain): Uint8Array {
  const body = utf8.encode(canonicalJson(c));
  const padded = new Uint8Array(paddedLength(body.length)).fill(0x20);
  padded.set(body);
  return padded;
}

/**
 * What a box opened to: signed content, or — in boxes sealed before content was signed — a bare entry,
 * whose writer is whoever signed the record around it. Null when it is neither (never throws).
 */
export function decodeContent(bytes: Uint8Array): { entry: SanctuaryEntryPlain; content: SanctuaryContent | null } | null {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  const o = asObject(value);
  if (o?.type === 'sanctuary-content') {
    const known = new Set(['type', 'id', 'created', 'updated', 'author', 'entry', 'sig']);
    const shaped = isId(o.id) && isTime(o.created) && isTime(o.updated) && typeof o.author === 'string' && typeof o.sig === 'string' && Object.keys(o).every((k) => known.has(k));
    if (!shaped || entryProblem(o.entry) !== null) return null;
    const content = { ...(o as unknown as SanctuaryContent), entry: normaliseEntry(o.entry as SanctuaryEntryPlain) };
    return { entry: content.entry, content };
  }
  return entryProblem(value) === null ? { entry: normaliseEntry(value as SanctuaryEntryPlain), content: null } : null;
}
