import { fromBase64Url } from '../crypto/encoding.ts';
import { MAX_TEXT_CHARS, type MessageBody } from './types.ts';

/** Canonical base64url of exactly `bytes` bytes (or any length when omitted). */
export function isB64(value: unknown, bytes?: number): value is string {
  if (typeof value !== 'string') return false;
  try {
    const b = fromBase64Url(value);
    return bytes === undefined || b.length === bytes;
  } catch {
    return false;
  }
}

export const isAgentId = (v: unknown): v is string => isB64(v, 32);
export const isMessageId = (v: unknown): v is string => isB64(v, 16);
export const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function isBody(b: unknown): b is MessageBody {
  if (typeof b !== 'object' || b === null) return false;
  const o = b as Record<string, unknown>;
  if (o.kind === 'text') return Object.keys(o).length === 2 && typeof o.text === 'string' && o.text.length > 0 && o.text.length <= MAX_TEXT_CHARS;
  if (o.kind === 'receipt') return Object.keys(o).length === 2 && isMessageId(o.of);
  return false;
}
