import type { Identity } from '../crypto/keys.ts';
import { randomBytes } from '../crypto/keys.ts';
import { randomId, utf8 } from '../crypto/encoding.ts';
import { signRecord, verifyRecord } from '../crypto/sign.ts';
import type { IntentKind } from '../model/types.ts';
import { DiscoveryError } from './errors.ts';
import { ANSWER_LIMITS, MAX_QUERY_BYTES, QUERY_LIMITS } from './limits.ts';
import type { DiscoveryAnswer, DiscoveryQuery, DiscoveryResult } from './types.ts';

export interface QueryInput {
  text: string;
  category?: string;
  area?: string;
  kind?: IntentKind;
  lifetimeMs?: number;
}

/** A phone's query, signed when an identity is given (so its relay can rate-limit it per member). */
export function createQuery(input: QueryInput, origin: string, now: number, me?: Identity): DiscoveryQuery {
  const q: DiscoveryQuery = {
    type: 'discovery-query',
    id: randomId(randomBytes),
    text: input.text.trim(),
    ...(input.category ? { category: input.category } : {}),
    ...(input.area ? { area: input.area } : {}),
    ...(input.kind ? { kind: input.kind } : {}),
    created: now,
    expires: now + (input.lifetimeMs ?? QUERY_LIMITS.defaultLifetimeMs),
    origin,
  };
  const out = me ? signRecord({ ...q, author: me.agentId } as DiscoveryQuery & { author: string; sig: string }, me.signSecretKey) : q;
  return decodeQuery(out, now);
}

function fail(what: string): never {
  throw new DiscoveryError('bad-shape', what);
}

function obj(v: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} is not an object`);
  for (const k of Object.keys(v)) if (!keys.includes(k)) fail(`${what} has an unknown field ${JSON.stringify(k.slice(0, 40))}`);
  return v as Record<string, unknown>;
}

function str(v: unknown, max: number, what: string, optional = false): string | undefined {
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') fail(`${what} is not text`);
  if (v.length > max) throw new DiscoveryError('too-long', `${what} longer than ${max} characters`);
  return v;
}

function time(v: unknown, what: string): number {
  if (!Number.isSafeInteger(v) || (v as number) <= 0) fail(`${what} is not a time`);
  return v as number;
}

const KINDS: readonly IntentKind[] = ['offer', 'need'];
const NODE = /^dtn:\/\/[a-z0-9][a-z0-9-]{0,62}\/$/i;
const QUERY_KEYS = ['type', 'id', 'author', 'sig', 'text', 'category', 'area', 'kind', 'created', 'expires', 'origin'] as const;

/**
 * Strict and total: anything but a well-formed, unexpired, correctly signed query is a DiscoveryError.
 * `now` bounds the lifetime (1 min … 1 h) and refuses queries from too far in the future.
 */
export function decodeQuery(v: unknown, now: number): DiscoveryQuery {
  const o = obj(v, 'query', QUERY_KEYS);
  if (o.type !== 'discovery-query') fail('query type is not discovery-query');
  if (typeof o.id !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(o.id)) fail('query id is not an id');
  const text = str(o.text, QUERY_LIMITS.textChars, 'query text')!;
  str(o.category, QUERY_LIMITS.fieldChars, 'query category', true);
  str(o.area, QUERY_LIMITS.fieldChars, 'query area', true);
  if (o.kind !== undefined && !KINDS.includes(o.kind as IntentKind)) fail('query kind is not offer or need');
  if (!text.trim() && !o.category && !o.area) fail('query asks for nothing (no text, category or area)');
  if (typeof o.origin !== 'string' || !NODE.test(o.origin)) fail('query origin is not a relay node id');
  const created = time(o.created, 'query created');
  const expires = time(o.expires, 'query expires');
  const life = expires - created;
  if (life < QUERY_LIMITS.minLifetimeMs || life > QUERY_LIMITS.maxLifetimeMs) throw new DiscoveryError('bad-lifetime', `query lifetime must be ${QUERY_LIMITS.minLifetimeMs / 60_000}..${QUERY_LIMITS.maxLifetimeMs / 60_000} minutes`);
  if (created > now + QUERY_LIMITS.clockSkewMs) throw new DiscoveryError('bad-lifetime', 'query created in the future');
  if (expires <= now) throw new DiscoveryError('expired', 'query has expired');
  if (o.author !== undefined || o.sig !== undefined) {
    if (typeof o.author !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(o.author)) fail('query author is not an agent id');
    if (!verifyRecord(o)) throw new DiscoveryError('bad-signature', 'query signature does not verify');
  }
  return o as unknown as DiscoveryQuery;
}

const RESULT_KEYS = ['title', 'kind', 'category', 'area', 'updated', 'authorName'] as const;
const ANSWER_KEYS = ['type', 'query', 'island', 'islandName', 'results', 'created'] as const;

function decodeResult(v: unknown): DiscoveryResult {
  const o = obj(v, 'result', RESULT_KEYS);
  str(o.title, ANSWER_LIMITS.titleChars, 'result title');
  if (!KINDS.includes(o.kind as IntentKind)) fail('result kind is not offer or need');
  str(o.category, QUERY_LIMITS.fieldChars, 'result category');
  str(o.area, QUERY_LIMITS.fieldChars, 'result area', true);
  str(o.authorName, ANSWER_LIMITS.nameChars, 'result author name', true);
  time(o.updated, 'result updated');
  return o as unknown as DiscoveryResult;
}

/** Strict decoding of another island's answer. */
export function decodeAnswer(v: unknown): DiscoveryAnswer {
  const o = obj(v, 'answer', ANSWER_KEYS);
  if (o.type !== 'discovery-answer') fail('answer type is not discovery-answer');
  if (typeof o.query !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(o.query)) fail('answer query is not an id');
  if (typeof o.island !== 'string' || !NODE.test(o.island)) fail('answer island is not a relay node id');
  str(o.islandName, ANSWER_LIMITS.islandChars, 'answer island name');
  time(o.created, 'answer created');
  if (!Array.isArray(o.results)) fail('answer results is not a list');
  if (o.results.length > ANSWER_LIMITS.results) throw new DiscoveryError('too-many-results', `answer has more than ${ANSWER_LIMITS.results} results`);
  o.results.forEach(decodeResult);
  return o as unknown as DiscoveryAnswer;
}

/** JSON bytes → value, bounded before parsing; a parse failure is a typed error. */
export function parseJson(bytes: Uint8Array, max: number): unknown {
  if (bytes.length > max) throw new DiscoveryError('too-long', `more than ${max} bytes`);
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    throw new DiscoveryError('bad-shape', 'not JSON');
  }
}

export const parseQuery = (bytes: Uint8Array, now: number): DiscoveryQuery => decodeQuery(parseJson(bytes, MAX_QUERY_BYTES), now);
export const parseAnswer = (bytes: Uint8Array): DiscoveryAnswer => decodeAnswer(parseJson(bytes, ANSWER_LIMITS.bytes));
export const encodeJson = (v: unknown): Uint8Array => utf8.encode(JSON.stringify(v));
