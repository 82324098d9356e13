import { packedWasmUrl } from '../core/protocol/packed-wasm.ts';

/**
 * Whether this page should fetch the wasm's xz copy (src/core/protocol/packed-wasm.ts). Browsers send
 * brotli only to secure contexts; everywhere else the wasm would come as gzip, 40 % bigger than xz. In a
 * secure context the service worker precaches the wasm itself and brotli is nearly as small, so nothing
 * is decoded there.
 */
export function wantsPackedWasm(): boolean {
  return !globalThis.isSecureContext;
}

/**
 * Fetches the xz copy of the wasm at `wasmUrl` and compiles it as it arrives: the decoder (xz-embedded as
 * a 9 KB wasm, from `xz-decompress`, which streams) hands each decoded piece straight to the compiler,
 * so the last byte over the link is followed by little more than the last piece's compile.
 * Rejects on anything short of a whole, valid module — no copy on the relay, a cut transfer, a check
 * that fails (xz's CRC32), bytes that do not compile — and the caller fetches the wasm itself.
 */
export async function compilePackedWasm(wasmUrl: string): Promise<WebAssembly.Module> {
  const url = packedWasmUrl(wasmUrl);
  const [response, { XzReadableStream }] = await Promise.all([fetch(url), import('xz-decompress')]);
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`packed wasm: ${response.status} from ${url}`);
  }
  const plain = new XzReadableStream(response.body);
  return WebAssembly.compileStreaming(new Response(plain, { headers: { 'content-type': 'application/wasm' } }));
}
