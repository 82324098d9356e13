/**
 * Private-use block type 192, "mesh metadata": the scheduling priority and audience of a bundle,
 * outside the payload so relays can order and filter bundles whose payloads they cannot read.
 * Block-type-specific data: CBOR map {"audience": text, "priority": uint 0..3}.
 */

// Priority and Audience are part of the phone↔relay↔relay contract: defined once in core/protocol.
export { DEFAULT_PRIORITY, isPriority, Priority } from '../protocol/priority.ts';
export { Audience, DEFAULT_AUDIENCE, isAudience } from '../protocol/audience.ts';

export const MESH_METADATA_BLOCK_TYPE = 192;

