import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export class BadPathError extends Error {
  override name = 'BadPathError';
}

/**
 * Maps a URL path onto a file strictly inside `root`. Decoding happens once, and any segment that is
 * empty-dot, `..`, or contains a separator or NUL after decoding is refused outright rather than
 * normalised, so no encoding trick can climb out of the root.
 */
export function resolveInside(root: string, urlPath: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    throw new BadPathError('undecodable path');
  }
  const segments = decoded.split('/').filter((s) => s !== '');
  for (const s of segments) {
    if (s === '..' || s === '.' || s.includes('\\') || s.includes('\0')) throw new BadPathError('path traversal refused');
  }
  const full = path.join(root, ...segments);
  if (full !== root && !full.startsWith(root + path.sep)) throw new BadPathError('path traversal refused');
  return full;
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

/** Serves the built PWA. The service worker and index must never be cached by HTTP, or updates stall. */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  let file: string;
  try {
    file = resolveInside(root, url.pathname === '/' ? '/index.html' : url.pathname);
  } catch (e) {
    return send(res, 400, (e as Error).message);
  }
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return send(res, 404, 'not found');
  const ext = path.extname(file);
  const immutable = url.pathname.startsWith('/assets/');
  res.writeHead(200, {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}
