/**
 * The plain answer to "will the fund run out, and when?" for one payment model across replications.
 *
 * - `firstYear`: the first year in which P(closing balance < 0) ≥ 50% (null: not within the horizon).
 * - `probabilityByYear`: P(closing balance < 0) per year, with its Wilson 95% interval (probability.ts).
 * - `medianYear`: the median of each replication's run-out year (its first year with a negative
 *   closing balance). A replication that never runs out within the horizon counts as "after the
 *   horizon", which is larger than any year, so the median is still an order statistic (a censored
 *   sample's median is well defined while fewer than half are censored); null means "after the horizon".
 * - `medianInterval`: the distribution-free 95% CI of that median from order statistics:
 *   [x(j), x(n+1−j)] with j the largest index such that P(Binomial(n, ½) < j) ≤ 2.5%. With fewer
 *   than 6 replications no such j exists (the widest interval covers less than 95%) and the
 *   interval is null.
 * - `spread`: P5–P95 of the run-out year across replications ("after the horizon" as null): how
 *   early or late it may come, not how sure the median is.
 *
 * Reference: W. J. Conover, "Practical Nonparametric Statistics" (3rd ed., 1999), §3.2 (confidence
 * interval for a quantile).
 */
import type { ModelYear } from '../ledger/results.ts';
import { shareEstimate, type ShareEstimate } from './probability.ts';

export interface RunOut {
  /** First year with P(balance < 0) ≥ `threshold`; null when no year of the horizon reaches it. */
  firstYear: number | null;
  /** The probability the headline uses (0.5). */
  threshold: number;
  /** P(closing balance < 0) in each year, share of replications with a Wilson 95% interval. */
  probabilityByYear: { year: number; probability: ShareEstimate }[];
  /** Median run-out year across replications (null: after the horizon). */
  medianYear: number | null;
  /** 95% CI of the median run-out year (null bounds: after the horizon); absent (null) with fewer than 6 replications. */
  medianInterval: { low: number | null; high: number | null; level: 0.95 } | null;
  /** P5–P95 of the run-out year across replications (null: after the horizon). */
  spread: { p5: number | null; p95: number | null };
  /** Replications that ran out within the horizon, of `n`. */
  ranOut: number;
  n: number;
  /** The horizon's last year (for "not within the horizon, i.e. after …"). */
  lastYear: number;
}

/** The run-out year of one replication: its first year with a negative closing balance, or null. */
export function runOutYear(years: ModelYear[]): number | null {
  for (const y of years) if (y.ledger.closingBalanceFen < 0) return y.year;
  return null;
}

/** Index j (1-based) of the lower order statistic of the 95% CI of a median; 0 when n is too small. */
export function medianRank(n: number): number {
  // Beyond ~1000, ½ⁿ underflows: the normal approximation is then exact to the rank.
  if (n > 1000) return Math.floor(n / 2 - 0.9799819922700269 * Math.sqrt(n));
  // P(B < k) for B ~ Binomial(n, 1/2), accumulated term by term.
  let j = 0;
  let cdf = 0;
  let pk = Math.pow(0.5, n); // P(B = 0)
  for (let k = 1; k <= n; k++) {
    cdf += pk; // now P(B < k)
    if (cdf > 0.025) break;
    j = k;
    pk = (pk * (n - (k - 1))) / k; // P(B = k)
  }
  return j;
}

export function runOut(years: ModelYear[][], threshold = 0.5): RunOut {
  const n = years.length;
  const nY = years[0].length;
  const probabilityByYear = Array.from({ length: nY }, (_, y) => ({
    year: years[0][y].year,
    probability: shareEstimate(years.filter((r) => r[y].ledger.closingBalanceFen < 0).length, n),
  }));
  const first = probabilityByYear.find((p) => p.probability.value >= threshold);
  const lastYear = years[0][nY - 1].year;
  // Sort run-out years with "after the horizon" (null) last.
  const ro = years.map(runOutYear).sort((a, b) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : a - b));
  const at = (i: number) => ro[Math.min(n - 1, Math.max(0, i))];
  const j = medianRank(n);
  return {
    firstYear: first ? first.year : null,
    threshold,
    probabilityByYear,
    medianYear: orderQuantile(ro, 0.5),
    medianInterval: j >= 1 ? { low: at(j - 1), high: at(n - j), level: 0.95 } : null,
    spread: { p5: orderQuantile(ro, 0.05), p95: orderQuantile(ro, 0.95) },
    ranOut: ro.filter((y) => y !== null).length,
    n,
    lastYear,
  };
}

/**
 * The p-quantile of sorted years, null (after the horizon) being the largest: the smallest year y
 * with P(run-out year ≤ y) ≥ p (the inverse of the empirical distribution, Hyndman & Fan type 1).
 * Years are discrete, so no interpolation: the median is the first year by which half the
 * replications have run out.
 */
function orderQuantile(sorted: (number | null)[], p: number): number | null {
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)];
}
