/**
 * Independent actuarial reference computations for the risk tests (nothing here imports the engine):
 * the normal and gamma distribution functions and moments, exact compound moments, and the Monte
 * Carlo standard errors used to compare a sample with the exact answer. (Panjer's recursion and the
 * discretization of a severity are the engine's: engine/risk/aggregate-loss.ts, tested against exact
 * compound answers built from these functions in test/risk/aggregate-loss.test.ts.)
 *
 * References: S. A. Klugman, H. H. Panjer & G. E. Willmot, "Loss Models: From Data to Decisions"
 * (4th ed., 2012), §9.3 (moments of compound distributions); W. H. Press et al., "Numerical Recipes"
 * (3rd ed.), §6.1–6.2 (log-gamma, incomplete gamma, erfc).
 */

/** Complementary error function (Numerical Recipes' Chebyshev fit, fractional error < 1.2e-7 everywhere). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal distribution function. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits). */
export function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized lower incomplete gamma P(a, x) (series below a + 1, Lentz continued fraction above). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const gln = lnGamma(a);
  if (x < a + 1) {
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 0; n < 10_000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-16) break;
    }
    return sum * Math.exp(-x + a * Math.log(x) - gln);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return 1 - Math.exp(-x + a * Math.log(x) - gln) * h;
}

export const lognormalCdf = (median: number, sigma: number) => (x: number) => (x <= 0 ? 0 : normalCdf(Math.log(x / median) / sigma));
export const gammaCdf = (shape: number, scale: number) => (x: number) => gammaP(shape, x / scale);

/** Raw moments E[X^r] of the severities used here. */
export const lognormalMoment = (median: number, sigma: number, r: number) => median ** r * Math.exp((r * r * sigma * sigma) / 2);
export const gammaMoment = (shape: number, scale: number, r: number) => scale ** r * Math.exp(lnGamma(shape + r) - lnGamma(shape));

/**
 * Compound Poisson aggregate with Poisson mean `lambda` and severity raw moments `m(r)`:
 * cumulants κ_r = λ E[X^r], so mean = λE[X], variance = λE[X²], and the fourth central moment
 * μ4 = κ4 + 3κ2² (needed for the standard error of a sample standard deviation).
 */
export function compoundPoissonMoments(lambda: number, m: (r: number) => number): { mean: number; variance: number; mu4: number } {
  const k2 = lambda * m(2);
  return { mean: lambda * m(1), variance: k2, mu4: lambda * m(4) + 3 * k2 * k2 };
}

export interface SampleStats {
  n: number;
  mean: number;
  sd: number;
  sorted: Float64Array;
}

export function sampleStats(xs: ArrayLike<number>): SampleStats {
  const n = xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - mean) ** 2;
  const sorted = Float64Array.from(xs).sort();
  return { n, mean, sd: Math.sqrt(ss / (n - 1)), sorted };
}

/** Asymptotic standard error of a sample standard deviation: √((μ4 − σ⁴) / (4σ² n)). */
export function sdStandardError(variance: number, mu4: number, n: number): number {
  return Math.sqrt((mu4 - variance * variance) / (4 * variance * n));
}

/**
 * The distribution-free interval of order statistics [x_(j), x_(k)] for the p-quantile, with
 * j, k = n·p ∓ z·√(n·p·(1 − p)) (1-based, clamped): the number of sample values ≤ the true
 * quantile is Binomial(n, p), so it covers the true quantile with probability ≈ that of ±z sd.
 */
export function orderStatisticInterval(sorted: ArrayLike<number>, p: number, z: number): { low: number; high: number } {
  const n = sorted.length;
  const half = z * Math.sqrt(n * p * (1 - p));
  const j = Math.max(1, Math.floor(n * p - half));
  const k = Math.min(n, Math.ceil(n * p + half));
  return { low: sorted[j - 1], high: sorted[k - 1] };
}
