/**
 * Independent actuarial reference computations for the risk tests (nothing here imports the engine):
 * the normal and gamma distribution functions, discretization of a severity distribution by the
 * rounding (mass-dispersal) method, Panjer's recursion for a compound Poisson aggregate, and the
 * Monte Carlo standard errors used to compare a sample with the exact answer.
 *
 * References: S. A. Klugman, H. H. Panjer & G. E. Willmot, "Loss Models: From Data to Decisions"
 * (4th ed., 2012), §9.6 (Panjer recursion, the (a, b, 0) class: Poisson a = 0, b = λ) and §9.6.5
 * (discretization by the method of rounding); W. H. Press et al., "Numerical Recipes" (3rd ed.),
 * §6.1–6.2 (log-gamma, incomplete gamma, erfc).
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
 * A severity distribution function discretized on the grid 0, h, 2h, … , (K−1)h by the method of
 * rounding: f(0) = F(h/2), f(j) = F((j + ½)h) − F((j − ½)h). The mass beyond the grid is dropped
 * (callers choose K so that it is negligible for what they read).
 */
export function discretizeByRounding(cdf: (x: number) => number, h: number, K: number): Float64Array {
  const f = new Float64Array(K);
  let prev = cdf(h / 2);
  f[0] = prev;
  for (let j = 1; j < K; j++) {
    const next = cdf((j + 0.5) * h);
    f[j] = next - prev;
    prev = next;
  }
  return f;
}

/**
 * Panjer's recursion for S = X_1 + … + X_N with N ~ Poisson(lambda) and X on the grid of `f`:
 * g(0) = exp(λ (f(0) − 1)), g(k) = (λ / k) Σ_{j=1..k} j f(j) g(k − j). Exact on the grid for k < K.
 */
export function panjerPoisson(lambda: number, f: Float64Array): Float64Array {
  const K = f.length;
  const g = new Float64Array(K);
  g[0] = Math.exp(lambda * (f[0] - 1));
  const jf = new Float64Array(K);
  for (let j = 1; j < K; j++) jf[j] = j * f[j];
  for (let k = 1; k < K; k++) {
    let s = 0;
    for (let j = 1; j <= k; j++) s += jf[j] * g[k - j];
    g[k] = (lambda / k) * s;
  }
  return g;
}

/** The p-quantile of a distribution on the grid k·h: the smallest k·h with F(k·h) ≥ p. */
export function gridQuantile(g: Float64Array, h: number, p: number): number {
  let F = 0;
  for (let k = 0; k < g.length; k++) {
    F += g[k];
    if (F >= p) return k * h;
  }
  throw new RangeError(`the grid holds only ${F} of the probability; need ${p}`);
}

/** Mean and variance of a distribution on the grid k·h. */
export function gridMoments(g: Float64Array, h: number): { mass: number; mean: number; variance: number } {
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  for (let k = 0; k < g.length; k++) {
    const x = k * h;
    m0 += g[k];
    m1 += g[k] * x;
    m2 += g[k] * x * x;
  }
  return { mass: m0, mean: m1, variance: m2 - m1 * m1 };
}

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
