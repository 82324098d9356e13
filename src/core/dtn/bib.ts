import { CborReader } from './cbor-reader.ts';
import { BundleError } from './errors.ts';
import { BlockType, blockTypeOf, type Bundle } from './types.ts';

/**
 * Block integrity blocks (BPSec, RFC 9172) are not verified here; only their security targets
 * are read, because RFC 9171 §4.3.1 lets a primary block go without a CRC only when a BIB
 * targets it (block number 0). Any other BIB says nothing about the primary block.
 */

const PRIMARY_BLOCK_NUMBER = 0;

/**
 * The security targets of an abstract security block (RFC 9172 §3.6): its data is a CBOR
 * sequence whose first item is an array of block numbers. Undefined when the data does not
 * start that way. Bounded: every target read consumes at least one byte of the data.
 */
export function securityTargets(data: Uint8Array): number[] | undefined {
  const r = new CborReader(data);
  try {
    const count = r.readArrayStart('security targets');
    const targets: number[] = [];
    while (count === undefined ? !r.readBreak('security targets') : targets.length < count) {
      targets.push(r.readUint('security target'));
    }
    return targets;
  } catch (e) {
    if (e instanceof BundleError) return undefined;
    throw e;
  }
}

/** True when a block integrity block names the primary block among its targets. */
export function primaryBlockHasBib(b: Bundle): boolean {
  return b.extensions.some(
    (e) => e.kind === 'unknown' && blockTypeOf(e) === BlockType.BlockIntegrity && (securityTargets(e.data)?.includes(PRIMARY_BLOCK_NUMBER) ?? false),
  );
}
