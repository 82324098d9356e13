/**
 * Which built files get precompressed copies next to them (`x.js.br`, `x.js.gz`), and which copy a
 * request may take. The build script writes them and the static server picks one, so both read this.
 */

/** Text-like formats that shrink; images are already compressed and are left alone. */
export const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.wasm', '.json', '.svg', '.webmanifest', '.txt']);

export type Encoding = 'br' | 'gzip';

/** File suffix of each encoding, in the server's order of preference (brotli is smaller). */
export const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };
const PREFERENCE: Encoding[] = ['br', 'gzip'];

/**
 * The encodings an `Accept-Encoding` header accepts, best first: by the client's q-value, then by our
 * preference. `q=0` refuses a coding; `*` stands for every coding not named. Junk tokens are ignored, so
 * a malformed header only costs compression, never the answer.
 */
export function acceptedEncodings(header: string | string[] | undefined): Encoding[] {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const q = new Map<string, number>();
  for (const part of text.split(',').slice(0, 32)) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    q.set(name, Math.min(weight, 1));
  }
  const weightOf = (e: Encoding): number => q.get(e) ?? (e === 'gzip' ? q.get('x-gzip') : undefined) ?? q.get('*') ?? 0;
  return PREFERENCE.filter((e) => weightOf(e) > 0).sort((a, b) => weightOf(b) - weightOf(a));
}
