import type http from 'node:http';

/** A JSON answer that no cache keeps. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
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
  });
}
