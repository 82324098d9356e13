/**
 * Every way a bundle can be refused. Decoding reports exactly one of these; encoding throws one
 * when handed a bundle it could not represent faithfully.
 */
export type BundleErrorCode =
  // CBOR framing
  | 'truncated' // input ended inside an item, or a claimed length exceeds the remaining input
  | 'not-indefinite-array' // the bundle is not an indefinite-length CBOR array
  | 'indefinite-length' // an indefinite-length item where RFC 9171 requires a definite one
  | 'not-shortest-form' // an integer or length not in its shortest (preferred) encoding
  | 'bad-cbor' // malformed CBOR: reserved additional information, misplaced break
  | 'wrong-type' // well-formed CBOR of the wrong kind for its field (tag, float, negative, …)
  | 'integer-too-large' // above Number.MAX_SAFE_INTEGER; this codec keeps integers as numbers
  | 'bad-utf8' // a text string that is not valid UTF-8
  | 'trailing-bytes' // bytes after the bundle's closing break
  // block structure
  | 'bad-block-length' // a block array with the wrong number of items for its flags and CRC type
  | 'bad-version' // primary block version other than 7
  | 'bad-flags' // contradictory bundle processing control flags
  | 'bad-crc-type' // CRC type not 0/1/2, or a primary block without CRC and without a BIB
  | 'bad-crc' // CRC value wrong, or of the wrong length for its type
  | 'bad-eid' // endpoint ID malformed or of an unsupported scheme
  | 'bad-fragment' // fragment offset/length outside the total ADU length
  | 'bad-block-type' // block type 0 (reserved) or an "unknown" block claiming a known type
  | 'bad-block-number' // payload not numbered 1, or an extension block numbered 0 or 1
  | 'duplicate-block-number'
  | 'duplicate-extension-block' // more than one previous-node / age / hop-count / mesh block
  | 'bad-block-data' // block-type-specific data of a known block type is malformed
  | 'missing-payload'
  | 'payload-not-last'
  | 'missing-bundle-age' // creation time 0 (no clock) requires a bundle age block
  | 'too-many-blocks'
  | 'delete-bundle' // an unprocessable block whose flags say the whole bundle must be deleted
  | 'invalid-field' // encoder input: a number that is negative, fractional or not a number
  | 'internal'; // a decoder fault; fuzz tests assert this never happens

export interface BundleErrorDetail {
  /** Block type code of the offending block, when one block is at fault. */
  readonly blockType?: number;
  readonly blockNumber?: number;
  /** For 'delete-bundle': the block asked for a status report when it can't be processed. */
  readonly statusReportRequested?: boolean;
}

export class BundleError extends Error {
  override name = 'BundleError';
  readonly code: BundleErrorCode;
  readonly detail: BundleErrorDetail;

  constructor(code: BundleErrorCode, message: string, detail: BundleErrorDetail = {}) {
    super(`${code}: ${message}`);
    this.code = code;
    this.detail = detail;
  }
}

export function isBundleError(e: unknown): e is BundleError {
  return e instanceof BundleError;
}
