import { InflatedAhead } from '../core/sync/automerge-op-count.ts';

/**
 * Inflates `parts` with the platform's own raw inflate (DecompressionStream: native, and asynchronous,
 * so the weighing that needs them waits for it), up to `maxBytes` in all. A part that would pass the
 * bound, or does not inflate, is left out with every part after it: the count then inflates it itself
 * (fflate) and decides, so a hostile part is judged exactly as before. In Chromium at 4× CPU slowdown,
 * fflate took about 2 s of a newcomer's 10,000-post feed; native inflate is a small part of that.
 */
export async function inflateAhead(parts: readonly Uint8Array[], maxBytes: number): Promise<InflatedAhead> {
  const ahead = new InflatedAhead();
  let left = maxBytes;
  for (const part of parts) {
    const out = await inflateRaw(part, left);
    if (!out) break;
    left -= out.byteLength;
    ahead.set(part, out);
  }
  return ahead;
}

async function inflateRaw(part: Uint8Array, max: number): Promise<Uint8Array | undefined> {
  const reader = new Blob([part as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        void reader.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(value);
    }
  } catch {
    return undefined;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
