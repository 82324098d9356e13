/** Joins byte arrays into one, for tests that build wire formats by hand. */
export { concatBytes as concat } from '../../src/core/crypto/bytes.ts';
