import type { CrcType } from './crc.ts';
import type { Audience, Priority } from './mesh-metadata.ts';

/** Bundle processing control flags (RFC 9171 §4.2.3). */
export const BundleFlags = {
  IsFragment: 0x000001,
  AdminRecord: 0x000002,
  MustNotFragment: 0x000004,
  AppAckRequested: 0x000020,
  StatusTimeRequested: 0x000040,
  ReceptionReport: 0x004000,
  ForwardingReport: 0x010000,
  DeliveryReport: 0x020000,
  DeletionReport: 0x040000,
} as const;

export const STATUS_REPORT_FLAGS =
  BundleFlags.ReceptionReport | BundleFlags.ForwardingReport | BundleFlags.DeliveryReport | BundleFlags.DeletionReport;

/** Block processing control flags (RFC 9171 §4.2.4). */
export const BlockFlags = {
  ReplicateInFragments: 0x01,
  ReportIfUnprocessable: 0x02,
  DeleteBundleIfUnprocessable: 0x04,
  DiscardIfUnprocessable: 0x10,
} as const;

export const BlockType = {
  Payload: 1,
  PreviousNode: 6,
  BundleAge: 7,
  HopCount: 10,
  BlockIntegrity: 11,
  MeshMetadata: 192,
} as const;

export const BP_VERSION = 7;
export const PAYLOAD_BLOCK_NUMBER = 1;

export interface FragmentInfo {
  readonly offset: number;
  readonly totalAduLength: number;
}

/** The version (always 7) is implied. EIDs are canonical text (see eid.ts). */
export interface PrimaryBlock {
  /** Bundle processing control flags; the is-fragment bit follows `fragment` when encoding. */
  readonly flags: number;
  readonly crcType: CrcType;
  readonly destination: string;
  readonly source: string;
  readonly reportTo: string;
  /** DTN time in ms (since 2000-01-01T00:00:00Z); 0 when the source had no clock. */
  readonly creationTime: number;
  readonly sequence: number;
  readonly lifetimeMs: number;
  readonly fragment?: FragmentInfo;
}

export interface BlockHeader {
  readonly number: number;
  /** Block processing control flags. */
  readonly flags: number;
  readonly crcType: CrcType;
}

export interface PreviousNodeBlock extends BlockHeader {
  readonly kind: 'previous-node';
  readonly node: string;
}

export interface BundleAgeBlock extends BlockHeader {
  readonly kind: 'bundle-age';
  readonly ageMs: number;
}

export interface HopCountBlock extends BlockHeader {
  readonly kind: 'hop-count';
  readonly limit: number;
  readonly count: number;
}

export interface MeshMetadataBlock extends BlockHeader {
  readonly kind: 'mesh-metadata';
  readonly priority: Priority;
  readonly audience: Audience;
}

/** A block of a type this node does not process, kept byte-for-byte (its data, unparsed). */
export interface UnknownBlock extends BlockHeader {
  readonly kind: 'unknown';
  readonly type: number;
  readonly data: Uint8Array;
}

export type ExtensionBlock = PreviousNodeBlock | BundleAgeBlock | HopCountBlock | MeshMetadataBlock | UnknownBlock;
export type KnownExtensionKind = Exclude<ExtensionBlock['kind'], 'unknown'>;

/** Always block number 1, always last on the wire. */
export interface PayloadBlock {
  readonly flags: number;
  readonly crcType: CrcType;
  readonly data: Uint8Array;
}

export interface Bundle {
  readonly primary: PrimaryBlock;
  /** Extension blocks in wire order (between the primary and the payload block). */
  readonly extensions: readonly ExtensionBlock[];
  readonly payload: PayloadBlock;
}

export const KNOWN_TYPE_OF_KIND: Readonly<Record<KnownExtensionKind, number>> = {
  'previous-node': BlockType.PreviousNode,
  'bundle-age': BlockType.BundleAge,
  'hop-count': BlockType.HopCount,
  'mesh-metadata': BlockType.MeshMetadata,
};

export function blockTypeOf(block: ExtensionBlock): number {
  return block.kind === 'unknown' ? block.type : KNOWN_TYPE_OF_KIND[block.kind];
}
