/**
 * F6: value at risk and tail value at risk of an outlay distribution, with their Monte Carlo
 * precision and a reliability flag.
 *
 * VaR_p = the p-quantile (quantile.ts); TVaR_p = the mean of the outcomes ≥ VaR_p. Its standard error
 * is approximated by sd(tail) ÷ √(tail count), ignoring the error of VaR itself. An estimate is
 * *reliable* only when at least `minTail` replications lie beyond the level (n·(1−p) ≥ minTail):
 * otherwise it is reported with `reliable: false` and a note saying how many replications are needed.
 * Reference: P. Artzner et al., "Coherent measures of risk", Math. Finance 9(3), 1999 (TVaR).
 * @example tailRisk([...values], 0.95, 10)
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { quantileCI } from './quantile.ts';

export interface RiskEstimate {
  level: number;
  value: number;
  se: number;
  low95: number;
  high95: number;
  /** Replications at or beyond VaR. */
  tailCount: number;
  reliable: boolean;
  note?: string;
}

export function tailRisk(values: ArrayLike<number>, level: number, minTail: number): { var: RiskEstimate; tvar: RiskEstimate } {
  const sorted = Array.from(values).sort((a, b) => a - b);
  const n = sorted.length;
  const q = quantileCI(sorted, level);
  const tail = sorted.filter((x) => x >= q.value);
  // Rounded so that, e.g., 100 × (1 − 0.9) counts as 10 and not 9.999999999999998.
  const expectedTail = Math.round(n * (1 - level) * 1e9) / 1e9;
  const reliable = expectedTail >= minTail;
  const needed = Math.ceil(Math.round((minTail / (1 - level)) * 1e9) / 1e9);
  const note = reliable ? undefined : `only ${tail.length} of ${n} replications lie beyond the ${level} level; need ≥ ${minTail} there (≥ ${needed} replications) for a reliable estimate`;
  const tv = mean(tail);
  const tse = tail.length > 1 ? sampleStandardDeviation(tail) / Math.sqrt(tail.length) : NaN;
  return {
    var: { level, value: q.value, se: q.se, low95: q.low, high95: q.high, tailCount: tail.length, reliable, note },
    tvar: { level, value: tv, se: tse, low95: tv - 1.96 * tse, high95: tv + 1.96 * tse, tailCount: tail.length, reliable, note },
  };
}
