/** Bundle Protocol v7 (RFC 9171) codec: the public API of src/core/dtn. */
export { BundleError, isBundleError, type BundleErrorCode, type BundleErrorDetail } from './errors.ts';
export { CrcType, crc16X25, crc32c, crcLength, isCrcType } from './crc.ts';
export { NONE_EID, formatEid, isGroupEid, isValidEid, nodeIdOf, parseEid, type Eid } from './eid.ts';
export { DTN_EPOCH_UNIX_MS, dtnToUnixMs, unixToDtnMs } from './time.ts';
export {
  Audience,
  DEFAULT_AUDIENCE,
  DEFAULT_PRIORITY,
  MESH_METADATA_BLOCK_TYPE,
  MESH_METADATA_MARKER,
  Priority,
  isAudience,
  isPriority,
} from './mesh-metadata.ts';
export {
  BlockFlags,
  BlockType,
  BundleFlags,
  blockTypeOf,
  type BlockHeader,
  type Bundle,
  type BundleAgeBlock,
  type ExtensionBlock,
  type FragmentInfo,
  type HopCountBlock,
  type MeshMetadataBlock,
  type PayloadBlock,
  type PreviousNodeBlock,
  type PrimaryBlock,
  type UnknownBlock,
} from './types.ts';
export { MAX_BLOCKS, validateBundle } from './validate.ts';
export { primaryBlockHasBib, securityTargets } from './bib.ts';
export { METADATA_SEAL_BLOCK, sealMetadata, sealedMetadata, type SealCheck, type SealSigner } from './metadata-integrity.ts';
export { encodeBundle } from './encode.ts';
export { decodeBundle, decodeBundleOrThrow, type DecodeResult, type DiscardedBlock } from './decode.ts';
export { DEFAULT_HOP_LIMIT, bundleId, createBundle, type CreateBundleOptions } from './bundle.ts';
export {
  ageOf,
  audienceOf,
  extensionOf,
  hopCountOf,
  isExpired,
  nextBlockNumber,
  previousNodeOf,
  priorityOf,
  withExtension,
} from './accessors.ts';
export { prepareForForward, type ForwardOptions, type ForwardResult } from './forward.ts';
export { fragmentAt, fragmentBundle } from './fragment.ts';
export {
  DEFAULT_REASSEMBLY_LIMITS,
  Reassembler,
  originalBundleId,
  type ReassemblyLimits,
  type ReassemblyResult,
} from './reassembly.ts';
export {
  ADMIN_RECORD_STATUS_REPORT,
  StatusReason,
  decodeStatusReport,
  encodeStatusReport,
  reportRequested,
  statusReportFor,
  type StatusAssertion,
  type StatusReport,
  type StatusReportOptions,
} from './status-report.ts';
