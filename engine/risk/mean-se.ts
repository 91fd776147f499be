/**
 * The Monte Carlo standard error of a mean across replications: sd ÷ √n.
 * @example meanWithSE([1, 2, 3, 4]) // { value: 2.5, se: 0.645… }
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';

export function meanWithSE(values: ArrayLike<number>): { value: number; se: number } {
  const xs = Array.from(values);
  if (xs.length === 0) throw new RangeError('meanWithSE: no values');
  return { value: mean(xs), se: xs.length > 1 ? sampleStandardDeviation(xs) / Math.sqrt(xs.length) : NaN };
}
