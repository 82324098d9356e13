import xzDecompress from 'xz-decompress';

/** The decoder phones run (src/platform/packed-wasm.ts), on bytes in memory. */
export async function xzDecode(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([new Uint8Array(bytes)]).stream();
  return new Uint8Array(await new Response(new xzDecompress.XzReadableStream(stream)).arrayBuffer());
}
