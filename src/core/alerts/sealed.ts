import type { Random } from '../audience/key.ts';
import { isSealedShape, open, seal } from '../audience/seal.ts';
import type { Keyring, SealedAudience, SealedRecord } from '../audience/types.ts';
import { randomBytes, type Identity } from '../crypto/keys.ts';
import { signRecord, verifyRecord, type Signed } from '../crypto/sign.ts';
import { isAlertShape, isFollowUpShape } from './shape.ts';
import { URGENCIES, type Alert, type AlertFollowUp, type Urgency } from './types.ts';

/**
 * Alerts leave the phone sealed (issue #17): what a raid alert says, and where, is for the community's
 * members, not for every relay that carries it or whoever seizes one. Outside the box stays only what
 * carrying needs — the id (retries, follow-ups), the urgency (bundle priority, lifetime), created and
 * expires (rate windows, when the bundle dies) and the author's key with a signature over all of it
 * (per-author limits at the relay; a relay cannot be made to hold a record under someone else's key).
 * Inside: the author's own signed Alert, checked again by every reader after opening.
 */
export const ALERT_SEALED_AUDIENCE: SealedAudience = 'members';

export interface SealedAlert extends Signed {
  type: 'sealed-alert';
  id: string;
  urgency: Urgency;
  created: number;
  expires: number;
  sealed: SealedRecord;
}

/** A follow-up's act (who is coming, who retracted) is sealed too; its alert id is needed to route it. */
export interface SealedFollowUp extends Signed {
  type: 'sealed-alert-follow-up';
  id: string;
  alert: string;
  created: number;
  sealed: SealedRecord;
}

export type CarriedAlertRecord = SealedAlert | SealedFollowUp;

function obj(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64;
const isKey = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64;

function sealedOk(v: unknown): boolean {
  return isSealedShape(v) && v.audience === ALERT_SEALED_AUDIENCE;
}

export function isSealedAlertShape(v: unknown): v is SealedAlert {
  const a = obj(v);
  return (
    !!a && a.type === 'sealed-alert' && isId(a.id) && isKey(a.author) && typeof a.sig === 'string' &&
    URGENCIES.includes(a.urgency as Urgency) && isTime(a.created) && isTime(a.expires) && sealedOk(a.sealed)
  );
}

export function isSealedFollowUpShape(v: unknown): v is SealedFollowUp {
  const f = obj(v);
  return !!f && f.type === 'sealed-alert-follow-up' && isId(f.id) && isId(f.alert) && isKey(f.author) && typeof f.sig === 'string' && isTime(f.created) && sealedOk(f.sealed);
}

export function isCarriedShape(v: unknown): v is CarriedAlertRecord {
  return isSealedAlertShape(v) || isSealedFollowUpShape(v);
}

/**
 * Seal my own signed alert or follow-up under the members' current key and sign the routing fields.
 * Throws AudienceInputError('no-key') while this phone holds no members' key yet.
 */
export function sealAlertRecord(me: Identity, rec: Alert, keyring: Keyring, random?: Random): SealedAlert;
export function sealAlertRecord(me: Identity, rec: AlertFollowUp, keyring: Keyring, random?: Random): SealedFollowUp;
export function sealAlertRecord(me: Identity, rec: Alert | AlertFollowUp, keyring: Keyring, random?: Random): CarriedAlertRecord;
export function sealAlertRecord(me: Identity, rec: Alert | AlertFollowUp, keyring: Keyring, random: Random = randomBytes): CarriedAlertRecord {
  if (rec.author !== me.agentId) throw new TypeError('only my own alert records are sealed here');
  const sealed = seal(rec, ALERT_SEALED_AUDIENCE, keyring, random);
  if (rec.type === 'alert') {
    return signRecord<SealedAlert>({ type: 'sealed-alert', id: rec.id, author: rec.author, urgency: rec.urgency, created: rec.created, expires: rec.expires, sealed }, me.signSecretKey);
  }
  return signRecord<SealedFollowUp>({ type: 'sealed-alert-follow-up', id: rec.id, author: rec.author, alert: rec.alert, created: rec.created, sealed }, me.signSecretKey);
}

export type OpenAlertFailure = 'malformed' | 'forged-signature' | 'unreadable' | 'mismatch';
export type OpenedAlertRecord = { ok: true; record: Alert | AlertFollowUp } | { ok: false; reason: OpenAlertFailure };

/**
 * The signed alert or follow-up inside a carried record: the outer signature holds, the box opens with
 * my keys, the inside is a well-formed record signed by the same author, and every routing field outside
 * says what the inside says (so nobody can re-label a box's urgency, expiry or alert). `unreadable`: no
 * key of mine opens it (not entitled, or the key has not reached me yet). Total: never throws.
 */
export function openAlertRecord(carried: unknown, keyring: Keyring, verify: (r: unknown) => boolean = verifyRecord): OpenedAlertRecord {
  if (!isCarriedShape(carried)) return { ok: false, reason: 'malformed' };
  if (!verify(carried)) return { ok: false, reason: 'forged-signature' };
  const o = open<unknown>(carried.sealed, keyring, verify);
  if (!o.ok) return { ok: false, reason: o.reason === 'no-key' || o.reason === 'cannot-decrypt' ? 'unreadable' : o.reason === 'forged-signature' ? 'forged-signature' : 'malformed' };
  const inner = o.record;
  if (carried.type === 'sealed-alert') {
    if (!isAlertShape(inner)) return { ok: false, reason: 'malformed' };
    const same = inner.id === carried.id && inner.author === carried.author && inner.urgency === carried.urgency && inner.created === carried.created && inner.expires === carried.expires;
    return same ? { ok: true, record: inner } : { ok: false, reason: 'mismatch' };
  }
  if (!isFollowUpShape(inner)) return { ok: false, reason: 'malformed' };
  const same = inner.id === carried.id && inner.author === carried.author && inner.alert === carried.alert && inner.created === carried.created;
  return same ? { ok: true, record: inner } : { ok: false, reason: 'mismatch' };
}
