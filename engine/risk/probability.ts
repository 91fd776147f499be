/**
 * A probability estimated as a share of replications, with its binomial standard error √(p(1−p)/n)
 * and, because a share of 0 or 1 has standard error 0, the Wilson 95% interval.
 * Reference: E. B. Wilson, "Probable inference…", JASA 22, 1927.
 * @example shareEstimate(3, 100) // { value: 0.03, se: 0.017…, low95: 0.010…, high95: 0.085… }
 */
export interface ShareEstimate {
  value: number;
  se: number;
  low95: number;
  high95: number;
  count: number;
  n: number;
}

export function shareEstimate(count: number, n: number): ShareEstimate {
  if (n <= 0) throw new RangeError('shareEstimate: n must be > 0');
  const p = count / n;
  const z = 1.959963984540054;
  const den = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / den;
  // At 0 of n (n of n) the Wilson bound is exactly 0 (1); say so rather than leave rounding dust.
  const low95 = count === 0 ? 0 : Math.max(0, centre - half);
  const high95 = count === n ? 1 : Math.min(1, centre + half);
  return { value: p, se: Math.sqrt((p * (1 - p)) / n), low95, high95, count, n };
}
