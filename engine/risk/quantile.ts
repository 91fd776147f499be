/**
 * The p-quantile of a sorted sample, with the same rule as `describe` (simple-statistics'
 * quantileSorted), and a distribution-free 95% confidence interval from order statistics.
 * Reference: D. A. David & H. N. Nagaraja, "Order Statistics" (3rd ed., 2003), §7.1: the interval
 * [x(j), x(k)] with j, k = n·p ∓ 1.96·√(n·p·(1−p)) covers the p-quantile with ≈ 95% probability.
 * @example quantileCI([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5) // { value: 5.5, low: 1, high: 9, se: 2.04… }
 */
import { quantileSorted } from 'simple-statistics';

export interface QuantileEstimate {
  value: number;
  low: number;
  high: number;
  /** Standard error read off the interval: (high − low) / (2 × 1.96). */
  se: number;
}

export function quantileCI(sorted: number[], p: number): QuantileEstimate {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantileCI: no values');
  const value = quantileSorted(sorted, p);
  const half = 1.96 * Math.sqrt(n * p * (1 - p));
  const j = Math.max(0, Math.floor(n * p - half) - 1);
  const k = Math.min(n - 1, Math.ceil(n * p + half) - 1);
  const low = sorted[j];
  const high = sorted[k];
  return { value, low, high, se: (high - low) / (2 * 1.96) };
}
