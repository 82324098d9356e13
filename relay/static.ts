import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { acceptedEncodings, COMPRESSIBLE, SUFFIX, type Encoding } from './precompressed.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  // The wasm's packed copy (src/core/protocol/packed-wasm.ts): a file the phone decodes, not an encoding.
  '.xz': 'application/x-xz',
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

/**
 * Strong ETags: a hash of the bytes sent, so each encoding of a file has its own and a rebuilt file a
 * new one. Hashed once per file version (path, size, mtime); the map holds at most one entry per file
 * under the root, so it cannot grow with requests.
 */
const tags = new Map<string, { size: number; mtimeMs: number; tag: Promise<string> }>();

function etagOf(file: string, size: number, mtimeMs: number): Promise<string> {
  const known = tags.get(file);
  if (known && known.size === size && known.mtimeMs === mtimeMs) return known.tag;
  const tag = (async () => {
    const hash = createHash('sha256');
    await pipeline(createReadStream(file), hash);
    return `"${hash.digest('base64url').slice(0, 27)}"`;
  })();
  tags.set(file, { size, mtimeMs, tag });
  tag.catch(() => tags.delete(file));
  return tag;
}

/** If-None-Match matches (weak comparison, RFC 9110 §13.1.2): the client's copy is current. */
function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

async function fileInfo(file: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  const info = await stat(file).catch(() => undefined);
  return info?.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : undefined;
}

/** The precompressed copy the client takes best, if the build wrote one. */
async function pickVariant(req: IncomingMessage, file: string): Promise<{ file: string; size: number; mtimeMs: number; encoding: Encoding } | undefined> {
  for (const encoding of acceptedEncodings(req.headers['accept-encoding'])) {
    const info = await fileInfo(file + SUFFIX[encoding]);
    if (info) return { file: file + SUFFIX[encoding], encoding, ...info };
  }
  return undefined;
}

/**
 * Serves the built PWA from `urlPath` (still percent-encoded). Vite's hashed assets/ files are cached for
 * a year; everything else (index.html, the service worker, the manifest) is revalidated every time, or
 * updates stall. Text files go out brotli or gzip compressed when the build left such a copy.
 */
export async function serveStatic(root: string, urlPath: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let file: string;
  try {
    file = resolveInside(root, urlPath === '/' ? '/index.html' : urlPath);
  } catch (e) {
    return send(res, 400, (e as Error).message);
  }
  const plain = await fileInfo(file);
  if (!plain) return send(res, 404, 'not found');
  const ext = path.extname(file);
  const compressible = COMPRESSIBLE.has(ext);
  const chosen = (compressible && (await pickVariant(req, file))) || { file, encoding: undefined, ...plain };
  const headers: Record<string, string | number> = {
    etag: await etagOf(chosen.file, chosen.size, chosen.mtimeMs),
    'cache-control': urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  if (compressible) headers.vary = 'Accept-Encoding';
  if (notModified(req, headers.etag as string)) {
    res.writeHead(304, headers);
    return void res.end();
  }
  res.writeHead(200, {
    ...headers,
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'content-length': chosen.size,
    ...(chosen.encoding ? { 'content-encoding': chosen.encoding } : {}),
  });
  if (req.method === 'HEAD') return void res.end();
  // A file that vanished or failed mid-read ends this answer only; the relay carries on.
  await pipeline(createReadStream(chosen.file), res).catch(() => res.destroy());
}
