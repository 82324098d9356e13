export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function min(xs: number[]): number {
  return Math.min(...xs);
}

export const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The `q` quantile (0..1) of `xs`: the value at that rank once sorted (0 for none). */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? 0;
}
