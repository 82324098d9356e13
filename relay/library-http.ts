import type http from 'node:http';
import { MAX_CHUNK_SIZE } from '../src/core/library/index.ts';
import { AUTH_HEADER, verifyRequest } from '../src/core/protocol/auth.ts';
import { Route, tailOf } from '../src/core/protocol/routes.ts';
import { LibraryRefusal, MAX_MANIFEST_BYTES, type RelayLibrary } from './library.ts';
import type { Logger } from './log.ts';
import { methodNotAllowed, readBody, sendJson } from './http-util.ts';

/** A request signed (x-spm-auth) by a member lets trusted files be seen; otherwise they are not. */
function member(req: http.IncomingMessage, path: string, isMember: (a: string) => boolean, now = Date.now()): boolean {
  const v = verifyRequest(req.headers[AUTH_HEADER] as string | undefined, { method: req.method ?? 'GET', path }, now);
  return v.ok && isMember(v.agent);
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
export async function handleLibrary(lib: RelayLibrary, isMember: (a: string) => boolean, req: http.IncomingMessage, res: http.ServerResponse, path: string, log: Logger): Promise<void> {
  try {
    if (path === Route.library && req.method === 'GET') return sendJson(res, 200, { files: lib.list(member(req, path, isMember)) });
    if (path === Route.libraryManifests && req.method === 'POST') {
      const { created, ...entry } = await lib.addManifest(await readBody(req, MAX_MANIFEST_BYTES, () => new LibraryRefusal(413, 'too-large', `body larger than ${MAX_MANIFEST_BYTES} bytes`)));
      return sendJson(res, created ? 201 : 200, entry);
    }
    const fileId = tailOf(path, Route.libraryManifests);
    if (fileId !== undefined && req.method === 'GET') {
      const entry = lib.entry(fileId);
      if (!entry || (entry.manifest.audience === 'trusted' && !member(req, path, isMember))) return sendJson(res, 404, { error: 'no such file here', code: 'not-found' });
      return sendJson(res, 200, entry);
    }
    const hash = tailOf(path, Route.libraryChunks);
    if (hash !== undefined) {
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
    methodNotAllowed(res, path.startsWith(`${Route.libraryChunks}/`) ? 'GET, PUT, POST' : path === Route.libraryManifests ? 'POST' : 'GET', 'method');
  } catch (err) {
    if (err instanceof LibraryRefusal) return sendJson(res, err.status, { error: err.message, code: err.code });
    log.error({ err: String(err) }, 'library request failed');
    if (!res.headersSent) sendJson(res, 500, { error: 'internal error', code: 'internal' });
  }
}
