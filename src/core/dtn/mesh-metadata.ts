/**
 * Private-use block type 192, "mesh metadata": the scheduling priority and audience of a bundle,
 * outside the payload so relays can order and filter bundles whose payloads they cannot read.
 * Block-type-specific data: CBOR array [MESH_METADATA_MARKER, audience text, priority uint 0..3].
 * 192 is in the private/experimental range (RFC 9171 §9.1), so other nodes may use it for other
 * things: the marker tells ours apart. Data without it is handled as an unknown block, except the
 * unmarked map {"audience", "priority"} relays wrote before the marker, still read as ours.
 */

/** Highest first; sent in this order on every contact. */
export const Priority = { Emergency: 0, Perishable: 1, Normal: 2, Low: 3 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export const Audience = { Public: 'public', Local: 'local', Trusted: 'trusted', Private: 'private' } as const;
export type Audience = (typeof Audience)[keyof typeof Audience];

export const MESH_METADATA_BLOCK_TYPE = 192;
/** Versioned: a later layout gets a new marker, and relays that do not know it carry it as unknown. */
export const MESH_METADATA_MARKER = 'solarpunk-mesh/1';
export const DEFAULT_PRIORITY: Priority = Priority.Normal;
export const DEFAULT_AUDIENCE: Audience = Audience.Public;

export function isPriority(n: unknown): n is Priority {
  return n === 0 || n === 1 || n === 2 || n === 3;
}

const AUDIENCES: readonly string[] = Object.values(Audience);

export function isAudience(s: unknown): s is Audience {
  return typeof s === 'string' && AUDIENCES.includes(s);
}
