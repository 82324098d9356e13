/** One result of `npm run bench` (one JSON line): a named figure with its unit, plus whatever context explains it. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  [k: string]: unknown;
}
