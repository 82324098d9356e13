import { fromBase64Url, toBase64Url, utf8 } from '../crypto/encoding.ts';
import { randomBytes } from '../crypto/keys.ts';
import { signBytes, verifyBytes } from '../crypto/sign.ts';

/**
 * The one signed-request format between a phone and its relay: a phone proves a request comes from
 * its key (to read its inbox, to see trusted library files) without an account or a session.
 *
 *   x-spm-auth: <agent-id>.<unix-ms>.<nonce>.<signature>
 *
 * The ed25519 signature by the agent's key covers the method and path of this very request, so a
 * header seen on the wire opens nothing else, and a fresh random nonce, so two requests never share a
 * signature (remembering nonces to refuse replays inside the window is the relay's business).
 */
export const AUTH_HEADER = 'x-spm-auth';

/** A signed request is fresh this long either side of the relay's clock. */
export const AUTH_WINDOW_MS = 10 * 60_000;

/** Generous bound on the header; a longer one is refused before it is split. */
export const MAX_AUTH_HEADER = 256;

const NONCE_BYTES = 16;
const AGENT_RE = /^[A-Za-z0-9_-]{43}$/;
const TS_RE = /^(0|[1-9][0-9]{0,15})$/;
const NONCE_RE = /^[A-Za-z0-9_-]{22}$/;
const SIG_RE = /^[A-Za-z0-9_-]{86}$/;

/** The request a signature is bound to: method as sent (GET…) and path without the query. */
export interface RequestTarget {
  method: string;
  path: string;
}

export interface RequestAuth {
  agent: string;
  /** unix ms when the phone signed */
  ts: number;
  /** 16 random bytes, base64url */
  nonce: string;
  /** ed25519 signature, base64url */
  sig: string;
}

export type AuthFailure = 'missing' | 'malformed' | 'stale' | 'bad-signature';

export type AuthResult = { ok: true; agent: string; ts: number; nonce: string } | { ok: false; reason: AuthFailure };

/** Plain words for each failure, for the error body a phone gets back. */
export const AUTH_FAILURE_TEXT: Readonly<Record<AuthFailure, string>> = {
  missing: 'this request must be signed',
  malformed: 'the request signature is malformed',
  stale: 'request time outside the allowed window',
  'bad-signature': 'signature does not verify',
};

/** The exact bytes signed: one field a line, so no field can run into the next. */
export function authText(target: RequestTarget, agent: string, ts: number, nonce: string): string {
  return ['spm-auth:v1', target.method.toUpperCase(), target.path, agent, String(ts), nonce].join('\n');
}

/** Who signs: the agent id and its ed25519 secret key (an Identity fits). */
export interface RequestSigner {
  agentId: string;
  signSecretKey: Uint8Array;
}

/** The header value for `target`, signed now by `me` with a fresh nonce. */
export function signRequest(me: RequestSigner, target: RequestTarget, now = Date.now(), nonce = toBase64Url(randomBytes(NONCE_BYTES))): string {
  const ts = Math.trunc(now);
  const sig = toBase64Url(signBytes(utf8.encode(authText(target, me.agentId, ts, nonce)), me.signSecretKey));
  return encodeAuth({ agent: me.agentId, ts, nonce, sig });
}

/** `{x-spm-auth: …}` for fetch. */
export function authHeaders(me: RequestSigner, target: RequestTarget, now = Date.now()): Record<string, string> {
  return { [AUTH_HEADER]: signRequest(me, target, now) };
}

export function encodeAuth(a: RequestAuth): string {
  return `${a.agent}.${a.ts}.${a.nonce}.${a.sig}`;
}

/** The fields of a header value, or why it is not one; shape only, nothing is verified here. */
export function parseAuth(header: string | undefined): RequestAuth | AuthFailure {
  if (header === undefined || header === '') return 'missing';
  if (header.length > MAX_AUTH_HEADER) return 'malformed';
  const parts = header.split('.');
  if (parts.length !== 4) return 'malformed';
  const [agent, ts, nonce, sig] = parts;
  if (!AGENT_RE.test(agent) || !TS_RE.test(ts) || !NONCE_RE.test(nonce) || !SIG_RE.test(sig)) return 'malformed';
  const t = Number(ts);
  if (!Number.isSafeInteger(t)) return 'malformed';
  return { agent, ts: t, nonce, sig };
}

/** Whether `header` is a fresh signature by its agent over this request. Total: never throws. */
export function verifyRequest(header: string | undefined, target: RequestTarget, now = Date.now()): AuthResult {
  const a = parseAuth(header);
  if (typeof a === 'string') return { ok: false, reason: a };
  if (Math.abs(now - a.ts) > AUTH_WINDOW_MS) return { ok: false, reason: 'stale' };
  let ok = false;
  try {
    ok = verifyBytes(utf8.encode(authText(target, a.agent, a.ts, a.nonce)), fromBase64Url(a.sig), fromBase64Url(a.agent));
  } catch {
    ok = false; // non-canonical base64url
  }
  return ok ? { ok: true, agent: a.agent, ts: a.ts, nonce: a.nonce } : { ok: false, reason: 'bad-signature' };
}
