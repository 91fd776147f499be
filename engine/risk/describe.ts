/**
 * Describe a sample of replication outcomes: mean, sample sd and quantiles.
 * Quantiles by simple-statistics' `quantileSorted`: linear interpolation at (n − 1)·p, numpy's
 * default (Hyndman & Fan type 7), so results compare directly with numpy and R's quantile().
 * @example describe([1, 2, 3, 4]).p50 // 2.5
 */
import { mean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';

export interface Description {
  n: number;
  mean: number;
  sd: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  min: number;
  max: number;
}

export function describe(values: ArrayLike<number>): Description {
  const xs = Array.from(values);
  if (xs.length === 0) throw new RangeError('describe: no values');
  const sorted = [...xs].sort((a, b) => a - b);
  return {
    n: xs.length,
    mean: mean(xs),
    sd: xs.length > 1 ? sampleStandardDeviation(xs) : 0,
    p5: quantileSorted(sorted, 0.05),
    p25: quantileSorted(sorted, 0.25),
    p50: quantileSorted(sorted, 0.5),
    p75: quantileSorted(sorted, 0.75),
    p95: quantileSorted(sorted, 0.95),
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}
