/**
 * The Automerge wasm's xz copy: a phone on plain HTTP (a mesh address is not a secure context) is sent
 * gzip at best, never brotli, so the build writes `<wasm>.xz` beside the wasm and the relay serves it as
 * a plain file (no Content-Encoding: the phone decodes it as it arrives). xz at its strongest setting is
 * 716 KB where gzip is 1,009 KB and brotli 742 KB; over a 2 Mbit/s mesh link that is 1.2 s less before a
 * newcomer can join. A relay without the copy answers 404 and the phone fetches the wasm itself.
 */
export const PACKED_WASM_SUFFIX = '.xz';

/** Where the packed copy of the wasm at `wasmUrl` is served. */
export function packedWasmUrl(wasmUrl: string): string {
  return wasmUrl + PACKED_WASM_SUFFIX;
}
