import { decode, encode } from 'cbor2';
import { fromBase64Url, toBase64Url } from '../crypto/encoding.ts';
import { isEnvelope, MAX_CT_BYTES } from './seal.ts';
import type { Envelope } from './types.ts';
import { equalBytes } from '../crypto/bytes.ts';
import { CodedError } from '../errors/coded-error.ts';

/**
 * Bundle payload of a message: the CBOR array [1, to, epk, nonce, ct], all but the version as byte
 * strings. CBOR rather than JSON because the payload is binary in a binary bundle (JSON would add a
 * third for base64), and every other bundle payload here is CBOR through the same library. Decoding
 * is strict: the bytes must be exactly the canonical encoding of a valid envelope.
 */
export const MAX_ENVELOPE_BYTES = MAX_CT_BYTES + 128;

export type EnvelopeCodecErrorCode = 'too-large' | 'not-cbor' | 'not-canonical' | 'bad-shape';

export class EnvelopeCodecError extends CodedError<EnvelopeCodecErrorCode> {
  override name = 'EnvelopeCodecError';
}

const DECODE_OPTIONS = { rejectStreaming: true, rejectUndefined: true, rejectDuplicateKeys: true, ignoreGlobalTags: true, maxDepth: 2 } as const;

export function encodeEnvelope(e: Envelope): Uint8Array {
  if (!isEnvelope(e)) throw new EnvelopeCodecError('bad-shape', 'not a valid envelope');
  return encode([1, fromBase64Url(e.to), fromBase64Url(e.epk), fromBase64Url(e.nonce), fromBase64Url(e.ct)]);
}

/** Strict and total: a valid Envelope, or an EnvelopeCodecError — nothing else is thrown. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  if (!(bytes instanceof Uint8Array)) throw new EnvelopeCodecError('bad-shape', 'payload is not bytes');
  if (bytes.length > MAX_ENVELOPE_BYTES) throw new EnvelopeCodecError('too-large', `payload is ${bytes.length} bytes, limit ${MAX_ENVELOPE_BYTES}`);
  let value: unknown;
  try {
    value = decode(bytes, DECODE_OPTIONS);
  } catch (err) {
    throw new EnvelopeCodecError('not-cbor', err instanceof Error ? err.message : 'undecodable');
  }
  const envelope = fromWire(value);
  if (!equalBytes(encodeEnvelope(envelope), bytes)) throw new EnvelopeCodecError('not-canonical', 'payload is not the canonical encoding');
  return envelope;
}

function fromWire(value: unknown): Envelope {
  if (!Array.isArray(value) || value.length !== 5 || value[0] !== 1) throw new EnvelopeCodecError('bad-shape', 'an envelope is [1, to, epk, nonce, ct]');
  if (!value.slice(1).every((v) => v instanceof Uint8Array)) throw new EnvelopeCodecError('bad-shape', 'envelope fields must be byte strings');
  const [, to, epk, nonce, ct] = value as [number, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  const e: Envelope = { v: 1, to: toBase64Url(to), epk: toBase64Url(epk), nonce: toBase64Url(nonce), ct: toBase64Url(ct) };
  if (!isEnvelope(e)) throw new EnvelopeCodecError('bad-shape', 'envelope field lengths are wrong');
  return e;
}

