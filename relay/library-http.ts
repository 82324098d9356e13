import type http from 'node:http';
import { MAX_CHUNK_SIZE } from '../src/core/library/index.ts';
import { LibraryRefusal, MAX_MANIFEST_BYTES, type RelayLibrary } from './library.ts';
import type { Logger } from './log.ts';
import { readBody, sendJson } from './http-util.ts';

import type { RequestVerifier } from './request-auth.ts';

/**
 * `x-spm-auth: <agent>.<ms>.<nonce>.<sig>` (purpose 'library', see src/core/protocol/session-auth.ts)
 * by a member lets trusted files be listed; otherwise they are not. Good once, like every signed request.
 */
function member(req: http.IncomingMessage, isMember: (a: string) => boolean, requests: RequestVerifier): boolean {
  const header = String(req.headers['x-spm-auth'] ?? '');
  if (!header) return false;
  const v = requests.verify(header, 'library');
  return v.ok && isMember(v.auth.agent);
}

/**
 * POST /api/library/manifests — body: signed FileManifest (JSON) → 201 (new) / 200 (known)
 *   {manifest, progress, missing: [chunk indices to upload]}
 * PUT  /api/library/chunks/<hash> — body: the chunk's bytes → 201 {stored: true} / 200 {stored: false}
 * GET  /api/library — {files: [{manifest, progress}]} (trusted files only with a member's x-spm-auth)
 * GET  /api/library/manifests/<id> — {manifest, progress, missing}
 * GET  /api/library/chunks/<hash> — the bytes (application/octet-stream), 404 when not held
 * Refusals: {error, code} with 400/401/403/404/409/413/422/429/507.
 */
export async function handleLibrary(lib: RelayLibrary, isMember: (a: string) => boolean, requests: RequestVerifier, req: http.IncomingMessage, res: http.ServerResponse, path: string, log: Logger): Promise<void> {
  try {
    const tail = (prefix: string) => decodeURIComponent(path.slice(prefix.length));
    if (path === '/api/library' && req.method === 'GET') return sendJson(res, 200, { files: lib.list(member(req, isMember, requests)) });
    if (path === '/api/library/manifests' && req.method === 'POST') {
      const { created, ...entry } = await lib.addManifest(await readBody(req, MAX_MANIFEST_BYTES, () => new LibraryRefusal(413, 'too-large', `body larger than ${MAX_MANIFEST_BYTES} bytes`)));
      return sendJson(res, created ? 201 : 200, entry);
    }
    if (path.startsWith('/api/library/manifests/') && req.method === 'GET') {
      const entry = lib.entry(tail('/api/library/manifests/'));
      if (!entry || (entry.manifest.audience === 'trusted' && !member(req, isMember, requests))) return sendJson(res, 404, { error: 'no such file here', code: 'not-found' });
      return sendJson(res, 200, entry);
    }
    if (path.startsWith('/api/library/chunks/')) {
      const hash = tail('/api/library/chunks/');
      if (req.method === 'PUT' || req.method === 'POST') {
        const r = await lib.addChunk(hash, await readBody(req, MAX_CHUNK_SIZE, () => new LibraryRefusal(413, 'too-large', `body larger than ${MAX_CHUNK_SIZE} bytes`)));
        return sendJson(res, r.stored ? 201 : 200, r);
      }
      if (req.method === 'GET') {
        const bytes = await lib.chunk(hash);
        if (!bytes) return sendJson(res, 404, { error: 'chunk not here (yet)', code: 'not-found' });
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'public, max-age=31536000, immutable', 'content-length': bytes.length });
        return void res.end(bytes);
      }
    }
    sendJson(res, 405, { error: 'method not allowed', code: 'method' });
  } catch (err) {
    if (err instanceof LibraryRefusal) return sendJson(res, err.status, { error: err.message, code: err.code });
    log.error({ err: String(err) }, 'library request failed');
    if (!res.headersSent) sendJson(res, 500, { error: 'internal error', code: 'internal' });
  }
}
