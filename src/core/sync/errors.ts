/** Why a payload (or a persisted sync state) was refused. Stable strings: logs and tests match on them. */
export type SyncPayloadErrorCode =
  | 'too-large'
  | 'not-cbor'
  | 'bad-shape'
  | 'bad-field'
  | 'bad-automerge-data'
  | 'unexpected-type'
  | 'bad-state';

/** The only error the sync module throws for anything a peer (or a stored file) can send it. */
export class SyncPayloadError extends Error {
  override name = 'SyncPayloadError';
  readonly code: SyncPayloadErrorCode;

  constructor(code: SyncPayloadErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}
