import { AUTH_FAILURE_TEXT, AUTH_WINDOW_MS, verifyRequest, type RequestTarget } from '../src/core/protocol/auth.ts';
import { NonceCache } from './nonce-cache.ts';

/** Nonces of signed requests remembered at once; a flood beyond it is refused until they expire. */
const MAX_NONCES = 200_000;

export type RequestAuthResult = { ok: true; agent: string } | { ok: false; reason: string };

/**
 * Signed HTTP requests (src/core/protocol/auth.ts) made good once: besides the time window and the
 * signature, a nonce seen within the window is refused — a captured request cannot be replayed.
 */
export class RequestVerifier {
  private readonly nonces = new NonceCache(MAX_NONCES, 2 * AUTH_WINDOW_MS);

  verify(header: string | undefined, target: RequestTarget, now = Date.now()): RequestAuthResult {
    const v = verifyRequest(header, target, now);
    if (!v.ok) return { ok: false, reason: AUTH_FAILURE_TEXT[v.reason] };
    // Remembered only once the signature holds: forged requests cannot fill the cache.
    if (!this.nonces.add(`${v.agent}.${v.nonce}`, now)) return { ok: false, reason: 'request already seen (replay)' };
    return { ok: true, agent: v.agent };
  }
}
