import { fromBase64Url } from '../crypto/encoding.ts';

/** Decoded base64url of exactly `length` bytes (any length if omitted), or null. Never throws. */
export function bytesOf(v: unknown, length?: number): Uint8Array | null {
  if (typeof v !== 'string') return null;
  try {
    const b = fromBase64Url(v);
    return length === undefined || b.length === length ? b : null;
  } catch {
    return null;
  }
}

export function isTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function isEpoch(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 64;
}

export function asObject(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
