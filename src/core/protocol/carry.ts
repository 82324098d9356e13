import { decode, encode } from 'cbor2';
import { CodedError } from '../errors/coded-error.ts';

/**
 * Phones as carriers between islands (issue 21): a member's phone takes from a relay the bundles it
 * would forward to other islands, and hands them in at the next relay it reaches. Bundles stay opaque
 * BPv7 bytes on the phone: sealed messages and alerts are sealed already, change-sets are what a relay
 * would send a TCPCL peer. Both requests are signed (auth.ts) by the member over POST of the route.
 *
 * Bodies are CBOR (bundles are binary; JSON would add a third for base64), decoded strictly and
 * totally here so the relay and the phone read the same shapes:
 *   take request   {max: bytes the phone has room for, held: [bundle ids it holds]}
 *   take answer    {node: the relay's node id, bundles: [bundle bytes]}
 *   hand-in        {bundles: [bundle bytes]}
 * The hand-in answer is JSON (CarryHandInAnswer): which ids the relay took or held already, and which
 * bundles it refused and why, so the phone drops what was taken and what can never be.
 */

/** The most a take answer or a hand-in body carries at once; a phone asks again for more. */
export const MAX_CARRY_BATCH_BYTES = 4 * 1024 * 1024;
/** Ids a phone may list as already held (a phone at its default 50 MB holds far fewer bundles). */
export const MAX_HELD_IDS = 20_000;
/** Bundles in one take answer or hand-in. */
export const MAX_CARRY_BUNDLES = 2_000;
/** A bundle id is `source/creation-time/sequence` plus a fragment offset: bounded text. */
const MAX_ID_CHARS = 300;

export interface CarryTakeRequest {
  /** Bytes of bundles the phone has room for now. */
  max: number;
  /** Ids of the bundles the phone carries already: the relay leaves them out. */
  held: string[];
}

export interface CarryTakeAnswer {
  /** The relay's node id (`dtn://name/`): the phone hands these bundles only to other relays. */
  node: string;
  bundles: Uint8Array[];
}

export interface CarryHandIn {
  bundles: Uint8Array[];
}

/** Why a relay refused a bundle a phone handed in. The phone drops it either way: it would never be taken. */
export type CarryRefusal = string;

export interface CarryHandInAnswer {
  node: string;
  /** Ids now in the relay's custody (`stored`) or held there before (`held`): the phone drops them. */
  accepted: Array<{ id: string; outcome: 'stored' | 'held' }>;
  /** Bundles refused, by position in the request (and id when it could be read), with the reason. */
  refused: Array<{ index: number; id?: string; reason: CarryRefusal }>;
}

export type CarryCodecErrorCode = 'too-large' | 'not-cbor' | 'bad-shape';

export class CarryCodecError extends CodedError<CarryCodecErrorCode> {
  override name = 'CarryCodecError';
}

const DECODE_OPTIONS = { preferMap: false, rejectStreaming: true, rejectUndefined: true, rejectDuplicateKeys: true, ignoreGlobalTags: true, maxDepth: 3 } as const;

function decodeBody(bytes: Uint8Array, limit: number): Record<string, unknown> {
  if (!(bytes instanceof Uint8Array)) throw new CarryCodecError('bad-shape', 'body is not bytes');
  if (bytes.length > limit) throw new CarryCodecError('too-large', `body is ${bytes.length} bytes, limit ${limit}`);
  let value: unknown;
  try {
    value = decode(bytes, DECODE_OPTIONS);
  } catch (err) {
    throw new CarryCodecError('not-cbor', err instanceof Error ? err.message : 'undecodable');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) throw new CarryCodecError('bad-shape', 'body must be a CBOR map');
  return value as Record<string, unknown>;
}

function bundleList(v: unknown): Uint8Array[] {
  if (!Array.isArray(v) || v.length > MAX_CARRY_BUNDLES) throw new CarryCodecError('bad-shape', `bundles must be a list of at most ${MAX_CARRY_BUNDLES} byte strings`);
  if (!v.every((b) => b instanceof Uint8Array && b.length > 0)) throw new CarryCodecError('bad-shape', 'every bundle must be a non-empty byte string');
  return v as Uint8Array[];
}

function onlyKeys(body: Record<string, unknown>, keys: readonly string[]): void {
  for (const k of Object.keys(body)) if (!keys.includes(k)) throw new CarryCodecError('bad-shape', `unexpected field ${k}`);
}

/** A few more bytes than the bundles themselves: CBOR heads and the other fields. */
const BODY_SLACK = 64 * 1024;
/** The largest take request: the held ids dominate. */
export const MAX_TAKE_REQUEST_BYTES = MAX_HELD_IDS * (MAX_ID_CHARS + 3) + BODY_SLACK;
/** The largest hand-in body a relay reads. */
export const MAX_HAND_IN_BYTES = MAX_CARRY_BATCH_BYTES + BODY_SLACK;

export function encodeTakeRequest(r: CarryTakeRequest): Uint8Array {
  return encode({ max: r.max, held: r.held });
}

/** Strict and total: a valid request, or a CarryCodecError. */
export function decodeTakeRequest(bytes: Uint8Array): CarryTakeRequest {
  const body = decodeBody(bytes, MAX_TAKE_REQUEST_BYTES);
  onlyKeys(body, ['max', 'held']);
  const { max, held } = body;
  if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 0) throw new CarryCodecError('bad-shape', 'max must be a whole number of bytes');
  if (!Array.isArray(held) || held.length > MAX_HELD_IDS) throw new CarryCodecError('bad-shape', `held must be a list of at most ${MAX_HELD_IDS} ids`);
  if (!held.every((id) => typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_CHARS)) throw new CarryCodecError('bad-shape', 'held ids must be short strings');
  return { max, held: held as string[] };
}

export function encodeTakeAnswer(a: CarryTakeAnswer): Uint8Array {
  return encode({ node: a.node, bundles: a.bundles });
}

/** What a phone reads back from a relay: input like any other, strict and total. */
export function decodeTakeAnswer(bytes: Uint8Array): CarryTakeAnswer {
  const body = decodeBody(bytes, MAX_CARRY_BATCH_BYTES + BODY_SLACK);
  onlyKeys(body, ['node', 'bundles']);
  const { node, bundles } = body;
  if (typeof node !== 'string' || !/^dtn:\/\/[A-Za-z0-9._-]{1,64}\/$/.test(node)) throw new CarryCodecError('bad-shape', 'node must be a dtn node id');
  return { node, bundles: bundleList(bundles) };
}

export function encodeHandIn(h: CarryHandIn): Uint8Array {
  return encode({ bundles: h.bundles });
}

export function decodeHandIn(bytes: Uint8Array): CarryHandIn {
  const body = decodeBody(bytes, MAX_HAND_IN_BYTES);
  onlyKeys(body, ['bundles']);
  return { bundles: bundleList(body.bundles) };
}

/** The hand-in answer as a phone reads it (JSON from the relay): anything malformed is no answer at all. */
export function parseHandInAnswer(v: unknown): CarryHandInAnswer | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const { node, accepted, refused } = v as Record<string, unknown>;
  if (typeof node !== 'string' || !Array.isArray(accepted) || !Array.isArray(refused)) return undefined;
  const okAccepted = accepted.every((a) => a && typeof a === 'object' && typeof a.id === 'string' && (a.outcome === 'stored' || a.outcome === 'held'));
  const okRefused = refused.every((r) => r && typeof r === 'object' && Number.isSafeInteger(r.index) && typeof r.reason === 'string' && (r.id === undefined || typeof r.id === 'string'));
  return okAccepted && okRefused ? (v as CarryHandInAnswer) : undefined;
}
