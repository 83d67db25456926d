/**
 * Nearest-rank percentile (p in (0, 100]); NaN for an empty list. The one definition behind
 * `npm run predict`, `model-report`, `calibrate` and `npm run bench`, so their latency figures compare.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}
