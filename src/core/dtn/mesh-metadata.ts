/**
 * Private-use block type 192, "mesh metadata": the scheduling priority and audience of a bundle,
 * outside the payload so relays can order and filter bundles whose payloads they cannot read.
 * Block-type-specific data: CBOR array [MESH_METADATA_MARKER, audience text, priority uint 0..3].
 * 192 is in the private/experimental range (RFC 9171 §9.1), so other nodes may use it for other
 * things: the marker tells ours apart. Data without it is handled as an unknown block, except the
 * unmarked map {"audience", "priority"} relays wrote before the marker, still read as ours.
 */

// Priority and Audience are part of the phone↔relay↔relay contract: defined once in core/protocol.
export { DEFAULT_PRIORITY, isPriority, Priority } from '../protocol/priority.ts';
export { Audience, DEFAULT_AUDIENCE, isAudience } from '../protocol/audience.ts';

export const MESH_METADATA_BLOCK_TYPE = 192;
/** Versioned: a later layout gets a new marker, and relays that do not know it carry it as unknown. */
export const MESH_METADATA_MARKER = 'solarpunk-mesh/1';

