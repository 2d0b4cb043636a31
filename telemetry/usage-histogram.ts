/**
 * The latency histogram of the usage rollups: counts over fixed bucket bounds, so histograms
 * from any process and any day merge by adding counts, and percentiles are estimated from the
 * merged counts (linear within a bucket, as Prometheus' histogram_quantile does; the overflow
 * bucket is bounded by the largest duration seen).
 */

/** Upper bounds (inclusive) of the latency buckets, in milliseconds; one more bucket counts the rest. */
export const USAGE_LATENCY_BUCKETS_MS: readonly number[] = Object.freeze([5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000]);

/** Counts per bucket: USAGE_LATENCY_BUCKETS_MS.length + 1 elements. */
export type LatencyCounts = number[];

export function emptyCounts(): LatencyCounts {
  return new Array<number>(USAGE_LATENCY_BUCKETS_MS.length + 1).fill(0);
}

export function bucketIndex(durationMs: number): number {
  const index = USAGE_LATENCY_BUCKETS_MS.findIndex((bound) => durationMs <= bound);
  return index === -1 ? USAGE_LATENCY_BUCKETS_MS.length : index;
}

/** Adds `from` into `into` (element-wise; a shorter array counts as zeros). */
export function addCounts(into: LatencyCounts, from: readonly number[]): LatencyCounts {
  for (let index = 0; index < from.length; index += 1) into[index] = (into[index] ?? 0) + (from[index] ?? 0);
  return into;
}

/**
 * The estimated `q`-quantile (0 < q ≤ 1) in milliseconds, or undefined for an empty histogram.
 * Never above `maxMs`, the largest duration recorded.
 */
export function estimateQuantile(counts: readonly number[], q: number, maxMs: number): number | undefined {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let below = 0;
  for (let index = 0; index < counts.length; index += 1) {
    const count = counts[index] ?? 0;
    if (count > 0 && below + count >= rank) {
      const lower = index === 0 ? 0 : (USAGE_LATENCY_BUCKETS_MS[index - 1] as number);
      const upper = USAGE_LATENCY_BUCKETS_MS[index] ?? Math.max(maxMs, lower);
      const estimate = lower + (upper - lower) * ((rank - below) / count);
      return Math.min(estimate, maxMs);
    }
    below += count;
  }
  return maxMs;
}
