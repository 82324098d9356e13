import { concatBytes } from '../core/crypto/bytes.ts';

/**
 * A stream's bytes, or undefined once they pass `limit` (the stream is then cancelled, not read to its
 * end): a hub that streams without end, or a deflate bomb, costs at most `limit` bytes of memory.
 * Undefined too when the stream fails (bad deflate data, a cut connection).
 */
export async function readCapped(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number): Promise<Uint8Array | undefined> {
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return concatBytes(...parts);
      size += value.byteLength;
      if (size > limit) {
        void reader.cancel().catch(() => undefined);
        return undefined;
      }
      parts.push(value);
    }
  } catch {
    return undefined;
  }
}
