/** The nearest-rank percentile: the smallest value that `p` percent of the values are at or below. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error(`no values to take the ${p}th percentile of`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
