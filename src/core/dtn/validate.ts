import { primaryBlockHasBib } from './bib.ts';
import { isCrcType } from './crc.ts';
import { parseEid } from './eid.ts';
import { BundleError } from './errors.ts';
import { isMeshMetadataData } from './extension-data.ts';
import { isAudience, isPriority } from './mesh-metadata.ts';
import {
  BlockFlags,
  BlockType,
  BundleFlags,
  KNOWN_TYPE_OF_KIND,
  PAYLOAD_BLOCK_NUMBER,
  STATUS_REPORT_FLAGS,
  blockTypeOf,
  type Bundle,
  type ExtensionBlock,
  type PrimaryBlock,
} from './types.ts';

/** Bounds the work a hostile bundle can ask for; far above anything this mesh produces. */
export const MAX_BLOCKS = 256;
export const MAX_HOP_LIMIT = 255;

/**
 * The rules a bundle must satisfy beyond its CBOR shape. The decoder runs them on what it read,
 * the encoder on what it was given, so both sides refuse exactly the same bundles.
 */
export function validateBundle(b: Bundle): void {
  validatePrimary(b.primary, b);
  validateHeaders(b);
  b.extensions.forEach(validateExtension);
  if (b.primary.creationTime === 0 && !b.extensions.some((e) => e.kind === 'bundle-age')) {
    throw new BundleError('missing-bundle-age', 'creation time is 0 (no clock) but there is no bundle age block');
  }
}

export function checkUint(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new BundleError('invalid-field', `${what} must be a non-negative integer, got ${String(n)}`);
  }
  if (n > Number.MAX_SAFE_INTEGER) throw new BundleError('integer-too-large', `${what} is above 2^53-1`);
  return n;
}

function validatePrimary(p: PrimaryBlock, b: Bundle): void {
  for (const [field, value] of [['flags', p.flags], ['creation time', p.creationTime], ['sequence number', p.sequence], ['lifetime', p.lifetimeMs]] as const) {
    checkUint(value, `primary block ${field}`);
  }
  parseEid(p.destination);
  parseEid(p.source);
  parseEid(p.reportTo);
  validateFlags(p, b);
  validatePrimaryCrc(p, b);
  if (p.fragment) validateFragment(p, b.payload.data.length);
}

function validateFlags(p: PrimaryBlock, b: Bundle): void {
  // A fragment may carry "must not be fragmented" (RFC 9171 §4.2.3 does not forbid it): it only means
  // this fragment is not to be cut again, which fragment.ts honours. dtn-demo-agent's generator sends such
  // fragments. A fragment of an anonymous bundle cannot exist: reassembly needs the bundle's identity.
  if (p.source === 'dtn:none' && p.fragment !== undefined) {
    throw new BundleError('bad-flags', 'an anonymous (dtn:none) bundle cannot be a fragment');
  }
  if (p.source === 'dtn:none' && (!(p.flags & BundleFlags.MustNotFragment) || p.flags & STATUS_REPORT_FLAGS)) {
    throw new BundleError('bad-flags', 'an anonymous (dtn:none) bundle must be unfragmentable and request no status reports');
  }
  if (p.flags & BundleFlags.AdminRecord && p.flags & STATUS_REPORT_FLAGS) {
    throw new BundleError('bad-flags', 'an administrative record must not request status reports');
  }
  // RFC 9171 §4.2.4: no block of an anonymous bundle or an administrative record may ask for a
  // status report when it cannot be processed (there is nobody to report to, or reports on reports).
  if (p.source === 'dtn:none' || p.flags & BundleFlags.AdminRecord) {
    const asking = [...b.extensions, b.payload].find((blk) => blk.flags & BlockFlags.ReportIfUnprocessable);
    if (asking) {
      const which = 'number' in asking ? `block ${asking.number}` : 'the payload block';
      throw new BundleError('bad-flags', `${which} asks for a status report, which an anonymous bundle or administrative record must not`);
    }
  }
}

function validatePrimaryCrc(p: PrimaryBlock, b: Bundle): void {
  if (!isCrcType(p.crcType)) throw new BundleError('bad-crc-type', `primary block CRC type ${String(p.crcType)} is not 0, 1 or 2`);
  if (p.crcType === 0 && !primaryBlockHasBib(b)) {
    throw new BundleError('bad-crc-type', 'the primary block needs a CRC unless a block integrity block targets it (block 0)');
  }
}

function validateFragment(p: PrimaryBlock, payloadLength: number): void {
  const { offset, totalAduLength } = p.fragment!;
  checkUint(offset, 'fragment offset');
  checkUint(totalAduLength, 'total ADU length');
  if (offset + payloadLength > totalAduLength || totalAduLength === 0) {
    throw new BundleError('bad-fragment', `fragment [${offset}, +${payloadLength}) lies outside an ADU of ${totalAduLength} bytes`);
  }
}

function validateHeaders(b: Bundle): void {
  if (b.extensions.length + 1 > MAX_BLOCKS) throw new BundleError('too-many-blocks', `more than ${MAX_BLOCKS} blocks`);
  checkUint(b.payload.flags, 'payload block flags');
  if (!isCrcType(b.payload.crcType)) throw new BundleError('bad-crc-type', `payload CRC type ${String(b.payload.crcType)}`);
  const numbers = new Set<number>([PAYLOAD_BLOCK_NUMBER]);
  const kinds = new Set<string>();
  for (const e of b.extensions) {
    const detail = { blockType: blockTypeOf(e), blockNumber: e.number };
    checkUint(e.number, 'block number');
    checkUint(e.flags, 'block flags');
    if (!isCrcType(e.crcType)) throw new BundleError('bad-crc-type', `block ${e.number}: CRC type ${String(e.crcType)}`, detail);
    if (e.number < 2) throw new BundleError('bad-block-number', `extension block numbered ${e.number}; 0 and 1 are reserved`, detail);
    if (numbers.has(e.number)) throw new BundleError('duplicate-block-number', `block number ${e.number} used twice`, detail);
    numbers.add(e.number);
    if (e.kind !== 'unknown' && kinds.has(e.kind)) throw new BundleError('duplicate-extension-block', `more than one ${e.kind} block`, detail);
    kinds.add(e.kind);
  }
}

function validateExtension(e: ExtensionBlock): void {
  const detail = { blockType: blockTypeOf(e), blockNumber: e.number };
  const bad = (why: string) => new BundleError('bad-block-data', `block ${e.number} (${e.kind}): ${why}`, detail);
  switch (e.kind) {
    case 'previous-node':
      parseEid(e.node);
      return;
    case 'bundle-age':
      checkUint(e.ageMs, 'bundle age');
      return;
    case 'hop-count':
      checkUint(e.count, 'hop count');
      if (!Number.isInteger(e.limit) || e.limit < 1 || e.limit > MAX_HOP_LIMIT) throw bad(`hop limit ${e.limit} outside 1..255`);
      return;
    case 'mesh-metadata':
      if (!isPriority(e.priority)) throw bad(`priority ${String(e.priority)} outside 0..3`);
      if (!isAudience(e.audience)) throw bad(`unknown audience ${JSON.stringify(e.audience)}`);
      return;
    case 'unknown':
      validateUnknownType(e.type, detail);
      if (e.type === BlockType.MeshMetadata && isMeshMetadataData(e.data)) {
        throw new BundleError('bad-block-type', `block ${e.number}: type 192 data in the mesh metadata form is not an unknown block`, detail);
      }
  }
}

function validateUnknownType(type: number, detail: { blockType: number; blockNumber: number }): void {
  checkUint(type, 'block type');
  // 192 is private-use: another node's block of that type is carried as unknown.
  const known: number[] = [BlockType.Payload, ...Object.values(KNOWN_TYPE_OF_KIND)].filter((t) => t !== BlockType.MeshMetadata);
  if (type === 0 || known.includes(type)) {
    throw new BundleError('bad-block-type', `block type ${type} cannot be carried as an unknown block`, detail);
  }
}
