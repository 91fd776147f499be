/**
 * P(closing balance < 0) by the normal approximation (docs/risk.md "P(balance < 0) by the normal
 * approximation"): with the parameters fixed, a year's closing balance is the opening balance plus
 * income (fixed) minus the outlay of hundreds of thousands of patients that are independent of one
 * another, so by the central limit theorem it is close to normal, B ~ N(μ, σ²), and
 *
 *     P(B < 0) = Φ(−μ/σ),   estimated by  p̂ = Φ(ẑ),  ẑ = −m/s
 *
 * from the mean m and sample sd s of the replications' balances. Its standard error (delta method;
 * m and s independent for normal data, Var m = σ²/n, Var s ≈ σ²/(2(n−1))):
 *
 *     SE(ẑ) = √(1/n + ẑ²/(2(n−1))),   SE(p̂) = φ(ẑ)·SE(ẑ),   95% interval Φ(ẑ ± 1.96·SE(ẑ)).
 *
 * It uses the size of every replication's balance, not only its sign, so it needs far fewer
 * replications than the share of negative balances where p is small (0 of n replications gives a share
 * of 0; the normal estimate is still informative), and fewer at p near ½ too: for many replications
 * Var(share) ÷ Var(p̂) = p(1−p) ÷ (φ(z)²(1 + z²/2)), 1.57 at p = ½, 2.7 at 2%, 15 at 0.1%.
 *
 * Where it holds, and where it does not (`holds: false`, the share is then the answer):
 * - only with the parameters fixed (no `uncertainty`, or the Monte-Carlo-only run): with uncertain
 *   parameters the balances are a mixture over parameter draws, not one normal — the caller decides;
 * - at least 8 replications (MIN_REPLICATIONS), and some spread (s > 0); with few replications
 *   Φ(−m/s) is biased upward far in the tail (s is noisy and Φ convex there: at n = 8 and p = 0.1% it
 *   averages 0.39%), i.e. cautious, while its interval keeps its coverage;
 * - the balances must not contradict normality: the Jarque–Bera statistic n/6·(S² + (K−3)²/4) (S
 *   skewness, K kurtosis) at most 9.21, the 99% point of χ²₂. A small region (few patients) or heavy
 *   tails (admissions near the cap) fail it; with few replications the test has little power, so the
 *   region's size matters too: the normal tail is accurate to about |skewness of one patient-year|
 *   ÷ (6√N) (the Edgeworth term) for N patients, ≈ 0.1% at N = 283,000 and a skewness of 5.
 * - Beyond |ẑ| > 5 (p < 3·10⁻⁷) the normal tail says "practically never" and no more: relative
 *   accuracy is not claimed there (the value is still reported).
 *
 * Normal distribution function from the complementary error function of W. H. Press et al.,
 * "Numerical Recipes" (3rd ed., 2007), §6.2.2 (Chebyshev fit, fractional error < 1.2·10⁻⁷).
 */

export interface NormalTail {
  /** Φ(−m/s): the estimated P(balance < 0). */
  value: number;
  se: number;
  low95: number;
  high95: number;
  /** ẑ = −m/s. */
  z: number;
  n: number;
  /** Jarque–Bera statistic of the balances (normality check; > 9.21 rejects at 1%). */
  jarqueBera: number;
  /** Whether the approximation is used (else `reason`, and the share of replications is the answer). */
  holds: boolean;
  reason?: string;
}

/** The Monte-Carlo-only run's default (risk.monteCarloOnlyReplications): 95% coverage 94–96% at n = 8 (docs/risk.md). */
export const MIN_REPLICATIONS = 8;
/** 99% point of χ² with 2 degrees of freedom. */
export const JB_CRITICAL = 9.21;

/** Complementary error function (Numerical Recipes §6.2.2). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Standard normal distribution function Φ. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal density φ. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

const Z975 = 1.959963984540054;

/** P(balance < 0) from the replications' balances (any unit), with the checks above. */
export function normalTailProbability(balances: ArrayLike<number>): NormalTail {
  const n = balances.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += balances[i];
  m /= Math.max(1, n);
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = balances[i] - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  const s = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
  const pop2 = m2 / Math.max(1, n);
  const skew = pop2 > 0 ? m3 / n / pop2 ** 1.5 : 0;
  const kurt = pop2 > 0 ? m4 / n / (pop2 * pop2) : 3;
  const jarqueBera = (n / 6) * (skew * skew + ((kurt - 3) * (kurt - 3)) / 4);
  const z = s > 0 ? -m / s : m < 0 ? Infinity : -Infinity;
  const seZ = n > 1 ? Math.sqrt(1 / n + (Number.isFinite(z) ? (z * z) / (2 * (n - 1)) : 0)) : Infinity;
  const value = normalCdf(z);
  const out: NormalTail = {
    value,
    se: Number.isFinite(z) ? normalPdf(z) * seZ : 0,
    low95: Number.isFinite(z) ? normalCdf(z - Z975 * seZ) : value,
    high95: Number.isFinite(z) ? normalCdf(z + Z975 * seZ) : value,
    z,
    n,
    jarqueBera,
    holds: true,
  };
  if (n < MIN_REPLICATIONS) return { ...out, holds: false, reason: `${n} replications: the normal approximation needs at least ${MIN_REPLICATIONS} to estimate the balance's mean and spread` };
  if (!(s > 0)) return { ...out, holds: false, reason: 'the balance does not vary across replications' };
  if (jarqueBera > JB_CRITICAL) return { ...out, holds: false, reason: `the balances are not normal (Jarque–Bera ${jarqueBera.toFixed(1)} > ${JB_CRITICAL}, skewness ${skew.toFixed(2)}, kurtosis ${kurt.toFixed(2)}): too few patients, or heavy tails` };
  return out;
}
