/**
 * CRDT over DTN payloads (ARCHITECTURE §6): contact sync and carried change-sets.
 *
 * Uses '@automerge/automerge/slim', which needs the wasm initialised once per process before first use:
 * in Node, `import '@automerge/automerge'` (the full entry loads and registers the wasm synchronously);
 * in a browser bundle, the same import or `await initializeBase64Wasm(...)`/`initializeWasm(...)` from
 * '@automerge/automerge/slim'. automerge-repo's default entry already does the former.
 */
export { SyncPayloadError } from './errors.ts';
export type { SyncPayloadErrorCode } from './errors.ts';
export { holdsHeads, sameHeads } from './heads.ts';
export { describeDoc, memoryDocAccess, metaOf } from './access.ts';
export type { AcceptPolicy, AnyDoc, DocAccess, DocMeta } from './access.ts';
export {
  decodePayload,
  encodePayload,
  MAX_DOCS_PER_SUMMARY,
  MAX_HEADS,
  MAX_PAYLOAD_BYTES,
} from './payload.ts';
export type { ChangeSetPayload, DecodeLimits, DocSummary, DocsPayload, SyncMessagePayload, SyncPayload } from './payload.ts';
export { ContactSync } from './contact.ts';
export type { ContactSyncOptions } from './contact.ts';
export { ChangeSetEmitter } from './emitter.ts';
export type { EmitterState } from './emitter.ts';
export { applyChangeSet, applyChangeSets } from './apply.ts';
export type { ApplyOptions, ApplyResult, ApplyStatus, SetOutcome, WritePolicy } from './apply.ts';
export { SignedHistory, MAX_HISTORY_RECORDS } from './signed-history.ts';
export { DocOpLedger, MAX_OPS_PER_DOC } from './doc-op-ledger.ts';
export { opsHeldIn } from './ops-held.ts';
export type { HandlesById } from './ops-held.ts';
