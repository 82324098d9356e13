export type StoreErrorCode =
  | 'disk-full' // ENOSPC / EDQUOT
  | 'io-error' // EIO and any other failing syscall
  | 'read-only' // a write failed earlier; refused until a probe write succeeds
  | 'invalid-meta'
  | 'closed';

/** Every failure the store reports to a caller is one of these. */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** the underlying errno code, e.g. 'ENOSPC', when a syscall failed */
    readonly errno?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Wrap a failing fs call so callers can tell a full disk from a broken one. */
export function ioError(op: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const errno = errnoOf(err);
  const full = errno === 'ENOSPC' || errno === 'EDQUOT';
  const msg = `${op} failed: ${errno ?? (err as Error)?.message ?? String(err)}`;
  return new StoreError(full ? 'disk-full' : 'io-error', msg, errno, { cause: err });
}
