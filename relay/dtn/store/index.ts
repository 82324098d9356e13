export { BundleStore, DEFAULT_BYTE_BUDGET, type StoreOptions } from './store.ts';
export { StoreError, type StoreErrorCode } from './errors.ts';
export { nodeFsOps, type FsOps } from './fs-ops.ts';
export { evictionOrder, sendOrder } from './evict.ts';
export { decodeHeader, decodeRecord, RecordError, type RecordHeader } from './record.ts';
export { fileNameFor, isBundleName, isTempName, JOURNAL_DIR, QUARANTINE_DIR } from './paths.ts';
export { JOURNAL_MAX_RECORD } from './journal.ts';
export { QUARANTINE_LIMIT } from './quarantine.ts';
export {
  AUDIENCES,
  PRIORITIES,
  type Audience,
  type BucketStats,
  type BundleMeta,
  type ListFilter,
  type Priority,
  type PutResult,
  type StoreLogger,
  type StoreStats,
} from './types.ts';
