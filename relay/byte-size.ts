/**
 * Sizes as operators write them: `2GiB`, `500 MB`, `1.5GiB`, or plain bytes. IEC units (KiB, MiB, GiB, TiB)
 * are powers of 1024 and SI units (kB, MB, GB, TB) powers of 1000, as their standards say; the bare `K`,
 * `M`, `G` of some tools are refused because they mean either, and a budget off by 7 % surprises people.
 * Written here rather than taken from a package: the common one (`bytes`) reads `GB` as 1024³, which
 * is the ambiguity this avoids.
 */
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** The number of bytes, or an Error saying what was wrong. */
export function parseByteSize(text: string): number | Error {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return new Error(`not a size: "${text.slice(0, 40)}" (write e.g. 2GiB, 500MB or 1048576)`);
  const unit = m[2].toLowerCase();
  const factor = unit === '' ? 1 : UNITS[unit];
  if (factor === undefined) return new Error(`unknown unit "${m[2]}" (use B, kB, MB, GB, TB, KiB, MiB, GiB or TiB)`);
  const n = Number(m[1]) * factor;
  if (!Number.isSafeInteger(Math.round(n))) return new Error(`too large: "${text.slice(0, 40)}"`);
  return Math.round(n);
}

/** A size for people to read back (status, logs): the largest IEC unit that keeps a whole or one decimal. */
export function formatByteSize(bytes: number): string {
  const steps: Array<[string, number]> = [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ];
  for (const [unit, f] of steps) if (bytes >= f) return `${Number((bytes / f).toFixed(1))}${unit}`;
  return `${bytes}B`;
}
