import type { Identity } from '../crypto/keys.ts';
import { fromBase64Url, toBase64Url, utf8 } from '../crypto/encoding.ts';
import { signRecord, verifyRecord, type Signed, type Unsigned } from '../crypto/sign.ts';
import type { Profile } from '../model/types.ts';
import { CodedError } from '../errors/coded-error.ts';

/** "My code": the signed profile plus the feed to follow, signed as a whole so neither can be swapped. */
export interface ContactCard extends Signed {
  type: 'contact-card';
  profile: Profile;
  feedUrl: string;
  community: string;
  created: number;
}

export const QR_PREFIX = 'spm1:';
/** Characters; keeps the code within a QR symbol a phone camera reads reliably (byte mode, level M). */
export const MAX_QR_CHARS = 1600;

export type QrErrorCode = 'wrong-prefix' | 'oversized' | 'not-base64url' | 'not-json' | 'bad-shape' | 'bad-signature' | 'key-mismatch';

export class QrPayloadError extends CodedError<QrErrorCode> {
  override name = 'QrPayloadError';
}

export function encodeContactCard(identity: Identity, profile: Profile, feedUrl: string, community: string, now: number): string {
  const card: Unsigned<ContactCard> = { type: 'contact-card', author: identity.agentId, profile, feedUrl, community, created: now };
  const text = QR_PREFIX + toBase64Url(utf8.encode(JSON.stringify(signRecord<ContactCard>(card, identity.signSecretKey))));
  if (text.length > MAX_QR_CHARS) throw new QrPayloadError('oversized', 'profile too large for a code');
  decodeContactCard(text); // never hand out a code the other phone would refuse
  return text;
}

/** Strict: anything scanned or pasted is untrusted input. Returns the verified card or throws QrPayloadError. */
export function decodeContactCard(text: string): ContactCard {
  if (typeof text !== 'string') throw new QrPayloadError('bad-shape', 'not text');
  const trimmed = text.trim();
  if (trimmed.length > MAX_QR_CHARS) throw new QrPayloadError('oversized', 'code too long');
  if (!trimmed.startsWith(QR_PREFIX)) throw new QrPayloadError('wrong-prefix', 'not a Solarpunk Mesh code');
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(trimmed.slice(QR_PREFIX.length)));
  } catch {
    throw new QrPayloadError('not-base64url', 'code is damaged');
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new QrPayloadError('not-json', 'code is damaged');
  }
  if (!isCard(value)) throw new QrPayloadError('bad-shape', 'code has the wrong contents');
  if (!verifyRecord(value) || !verifyRecord(value.profile)) throw new QrPayloadError('bad-signature', 'code signature does not verify');
  if (value.profile.author !== value.author) throw new QrPayloadError('key-mismatch', 'profile belongs to another key');
  return value;
}

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const time = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isKey(v: unknown): boolean {
  if (!str(v, 43)) return false;
  try {
    return fromBase64Url(v).length === 32;
  } catch {
    return false;
  }
}

function isProfile(v: unknown): v is Profile {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = v as Record<string, unknown>;
  return p.type === 'profile' && str(p.name, 100) && isKey(p.boxKey) && isKey(p.author) && str(p.sig, 100) && time(p.created);
}

function isCard(v: unknown): v is ContactCard {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const c = v as Record<string, unknown>;
  return (
    c.type === 'contact-card' && isKey(c.author) && str(c.sig, 100) && isProfile(c.profile) &&
    str(c.feedUrl, 200) && c.feedUrl.startsWith('automerge:') && str(c.community, 200) && time(c.created)
  );
}
