import type http from 'node:http';
import { Refusal } from './refusal.ts';

/**
 * The Content-Security-Policy every answer carries. The app needs only its own origin, plus:
 * - 'wasm-unsafe-eval': compiling the Automerge wasm (WebAssembly.instantiateStreaming);
 * - img-src data: and blob:: QR codes and library images are shown from bytes held on the phone;
 * - connect-src: the same origin for /api and the /sync WebSocket (CSP level 2 browsers do not let
 *   'self' match ws:/wss:, so the host the request named is added when it is a plain host name).
 * Nothing inline: Svelte's styles are emitted as files and no script is inlined into index.html.
 */
function contentSecurityPolicy(host: string | undefined): string {
  const sameHost = host && /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$/.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self'${sameHost}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers for every answer, API and files alike: set before any handler runs so none can forget them. */
export function setSecurityHeaders(req: http.IncomingMessage, res: http.ServerResponse): void {
  res.setHeader('content-security-policy', contentSecurityPolicy(req.headers.host));
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-content-type-options', 'nosniff');
}

/** A JSON answer that no cache keeps. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** 405 with the methods this path does answer, as RFC 9110 asks, so a client can tell a typo from a refusal. */
export function methodNotAllowed(res: http.ServerResponse, allow: string, code?: string): void {
  res.setHeader('allow', allow);
  sendJson(res, 405, code ? { error: 'method not allowed', code } : { error: 'method not allowed' });
}

/** The URL path with its percent-escapes checked: undefined when they do not decode (a 400, not a crash). */
export function checkedPath(url: string | undefined): string | undefined {
  const path = (url ?? '/').split('?')[0];
  try {
    decodeURIComponent(path);
    return path;
  } catch {
    return undefined;
  }
}

/**
 * Keeps at most `limit` bytes of a request body. A bigger body is drained (so the client reads a clear
 * 413 rather than a reset) but not kept, and rejected with `tooLarge()`; one far beyond the limit is cut off.
 */
export function readBody(req: http.IncomingMessage, limit: number, tooLarge: () => Error): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else if (size > 16 * limit) req.destroy();
    });
    req.on('end', () => (size > limit ? reject(tooLarge()) : resolve(new Uint8Array(Buffer.concat(chunks)))));
    req.on('error', reject);
    // A client gone mid-body (or the relay closing its connection) ends the wait: no handler hangs on it.
    // Input, not a fault: a refusal (no error logged), the 413 when it was cut off for its size.
    req.on('close', () => reject(size > limit ? tooLarge() : new Refusal(400, 'incomplete', 'request closed before its body ended')));
  });
}
