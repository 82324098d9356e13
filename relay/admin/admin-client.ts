import http from 'node:http';

export class AdminError extends Error {
  override name = 'AdminError';
}

/** Answers above this are refused: the operator socket lists at most a store's metadata or one payload. */
const MAX_ANSWER_BYTES = 256 * 1024 * 1024;

/** One request to the relay's operator socket; rejects with a plain AdminError. */
export function adminRequest(socketPath: string, method: 'GET' | 'POST', pathAndQuery: string, body?: Uint8Array): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path: pathAndQuery, headers: body ? { 'content-length': body.length, 'content-type': 'application/octet-stream' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER_BYTES) return req.destroy(new AdminError('the relay answered more than expected'));
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') reject(new AdminError(`no relay is running on this data directory (no ${socketPath}); pass --data-dir as the relay has it`));
      else if (err.code === 'EACCES') reject(new AdminError(`not allowed to reach ${socketPath}: run as the account the relay runs as`));
      else reject(err instanceof AdminError ? err : new AdminError(String(err.message ?? err)));
    });
    req.end(body);
  });
}

/** The JSON answer, or an AdminError carrying the relay's reason. */
export async function adminJson<T>(socketPath: string, method: 'GET' | 'POST', pathAndQuery: string, body?: Uint8Array): Promise<T> {
  const r = await adminRequest(socketPath, method, pathAndQuery, body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.body.toString('utf8'));
  } catch {
    throw new AdminError(`the relay answered ${r.status} without JSON`);
  }
  if (r.status !== 200) throw new AdminError((parsed as { error?: string }).error ?? `the relay answered ${r.status}`);
  return parsed as T;
}
