/**
 * Stands in for `@noble/hashes/sha256` (version 1) in the phone build (vite.config.ts aliases it):
 * bs58check, which automerge-repo uses for document URLs, pins @noble/hashes 1, whose SHA-2 module came
 * whole into the bundle (~6 KB gzip) beside the version 2 the app already ships. Same function, same
 * digest: version 2 renamed the module, nothing else bs58check calls.
 */
export { sha256 } from '@noble/hashes/sha2.js';
