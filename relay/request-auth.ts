import { fromBase64Url, utf8 } from '../src/core/crypto/encoding.ts';
import { readRequestAuth, requestAuthText, REQUEST_SKEW_MS, type RequestAuth } from '../src/core/protocol/session-auth.ts';
import { nodeSignatureCheck } from './ed25519.ts';
import { NonceCache } from './nonce-cache.ts';

/** Nonces of signed requests remembered at once; a flood beyond it is refused until they expire. */
const MAX_NONCES = 200_000;

export type RequestAuthResult = { ok: true; auth: RequestAuth } | { ok: false; reason: string };

/**
 * Checks signed HTTP requests (`x-spm-auth: <agent>.<ms>.<nonce>.<sig>`, see
 * src/core/protocol/session-auth.ts): time within the skew window, signature, and a nonce not seen
 * before within that window — a captured request cannot be replayed.
 */
export class RequestVerifier {
  private readonly nonces = new NonceCache(MAX_NONCES, 2 * REQUEST_SKEW_MS);
  private readonly check = nodeSignatureCheck();

  verify(header: string, purpose: string, subject = '', now = Date.now()): RequestAuthResult {
    const auth = readRequestAuth(header);
    if (!auth) return { ok: false, reason: 'missing or malformed x-spm-auth' };
    if (Math.abs(now - auth.ts) > REQUEST_SKEW_MS) return { ok: false, reason: 'request time outside the allowed window' };
    let good = false;
    try {
      good = this.check(utf8.encode(requestAuthText(purpose, auth, subject)), fromBase64Url(auth.sig), fromBase64Url(auth.agent));
    } catch {
      good = false;
    }
    if (!good) return { ok: false, reason: 'signature does not verify' };
    // The nonce is remembered only once the signature holds: forged requests cannot fill the cache.
    if (!this.nonces.add(`${auth.agent}.${auth.nonce}`, now)) return { ok: false, reason: 'request already seen (replay)' };
    return { ok: true, auth };
  }
}
