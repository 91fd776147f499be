/**
 * Paired difference of two models over the same replications (common random numbers): the mean
 * difference and its 95% confidence interval, mean ± t(0.975, n − 1) × sd ÷ √n.
 * Reference: any statistics text on the paired t interval (e.g. Rice, "Mathematical Statistics and
 * Data Analysis", 3rd ed., §11.3).
 * @example pairedDifference([10, 12, 11], [9, 10, 10]).mean // 1.333…
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';

export interface PairedDifference {
  n: number;
  mean: number;
  sd: number;
  low95: number;
  high95: number;
}

export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>): PairedDifference {
  if (a.length !== b.length) throw new RangeError(`paired samples differ in length: ${a.length} vs ${b.length}`);
  if (a.length === 0) throw new RangeError('pairedDifference: no pairs');
  const d = Array.from(a, (x, i) => x - b[i]);
  const n = d.length;
  const m = mean(d);
  const sd = n > 1 ? sampleStandardDeviation(d) : 0;
  const half = n > 1 ? tQuantile975(n - 1) * (sd / Math.sqrt(n)) : NaN;
  return { n, mean: m, sd, low95: m - half, high95: m + half };
}

/** t(0.975) quantile for `df` degrees of freedom: exact table to 30, then the Cornish–Fisher expansion. */
export function tQuantile975(df: number): number {
  const table = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
  if (df < 1) return NaN;
  if (df <= 30) return table[Math.round(df)];
  const z = 1.959963984540054;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3;
}
