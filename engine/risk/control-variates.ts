/**
 * Control variates with exactly known means: the uncertain parameters' draws (docs/risk.md "Control
 * variates"). Each replication draws every uncertain parameter θ_k from its stated distribution, whose
 * mean E[θ_k] is known exactly (rng/distributions.ts `meanOf`); a metric Y (a replication's horizon
 * outlay, its paired difference, whether it ran out) depends on the draws. The regression estimator
 *
 *     Ŷ_cv = b₀  of the least-squares fit  Y_r = b₀ + Σ_k b_k (θ_rk − E[θ_k]) + e_r
 *
 * is the plain mean minus the part of it that the draws' own sampling error explains; its standard error
 * is that of the intercept, SE² = σ̂²·[(ZᵀZ)⁻¹]₀₀ with σ̂² = RSS/(n − k − 1), and the 95% interval
 * b₀ ± t(0.975, n − k − 1)·SE. Its variance against the plain mean's is about 1 − R² of the fit:
 * where the parameters drive the answer (as they do under parameter uncertainty), the gain is large.
 * The estimated coefficients make it biased by O(1/n) (negligible beside its SE for n well above k).
 *
 * Reference: S. S. Lavenberg & P. D. Welch, "A perspective on the use of control variables to increase
 * the efficiency of Monte Carlo simulations", Management Science 27(3), 1981; P. Glasserman, "Monte
 * Carlo Methods in Financial Engineering" (2004), §4.1.
 *
 * Holds (else `holds: false` with the reason, and the plain mean is the answer): n ≥ k + 11
 * (MIN_EXTRA_REPLICATIONS residual degrees of freedom at least), draws that vary, and no draw a linear
 * combination of the others.
 */
import { tQuantile975 } from './paired-difference.ts';
import { meanOf } from '../rng/distributions.ts';
import type { ScenarioFile } from '../params/schema.ts';

export interface ControlVariateEstimate {
  value: number;
  se: number;
  low95: number;
  high95: number;
  /** The plain mean and its SE (sd/√n), for comparison. */
  plain: { value: number; se: number };
  /** Estimated Var(plain mean) ÷ Var(control-variate estimate). */
  varianceRatio: number;
  /** R² of the fit of Y on the draws. */
  rSquared: number;
  n: number;
  /** The parameters used as controls (those that varied). */
  controls: string[];
  holds: boolean;
  reason?: string;
}

/** Residual degrees of freedom required beyond the controls. */
export const MIN_EXTRA_REPLICATIONS = 10;

/**
 * `y[r]`: the metric of replication r; `draws[r][k]`: its draw of control k, whose exact mean is
 * `means[k]`. `probability`: clamp the estimate and its interval to [0, 1].
 */
export function controlVariateMean(y: ArrayLike<number>, draws: ArrayLike<number>[], means: number[], names: string[], probability = false): ControlVariateEstimate {
  const n = y.length;
  let ym = 0;
  for (let i = 0; i < n; i++) ym += y[i];
  ym /= n;
  let syy = 0;
  for (let i = 0; i < n; i++) syy += (y[i] - ym) ** 2;
  const plainSe = n > 1 ? Math.sqrt(syy / (n - 1) / n) : NaN;
  const plain = { value: ym, se: plainSe };
  const clamp = (v: number) => (probability ? Math.min(1, Math.max(0, v)) : v);
  const fallback = (reason: string): ControlVariateEstimate => {
    const h = n > 1 ? tQuantile975(n - 1) * plainSe : NaN;
    return { value: ym, se: plainSe, low95: clamp(ym - h), high95: clamp(ym + h), plain, varianceRatio: 1, rSquared: 0, n, controls: [], holds: false, reason };
  };
  // Controls that vary, centred at their exact means and scaled by their spread (the intercept and
  // its variance do not change with the scaling).
  const cols: number[][] = [];
  const used: string[] = [];
  means.forEach((mu, k) => {
    const c = Array.from({ length: n }, (_, i) => draws[i][k] - mu);
    const m = c.reduce((a, x) => a + x, 0) / n;
    const sd = Math.sqrt(c.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, n - 1));
    if (sd > 0) {
      cols.push(c.map((x) => x / sd));
      used.push(names[k]);
    }
  });
  const k = cols.length;
  if (k === 0) return fallback('the uncertain parameters did not vary');
  if (n < k + 1 + MIN_EXTRA_REPLICATIONS) return fallback(`${n} replications for ${k} controls: control variates need at least ${k + 1 + MIN_EXTRA_REPLICATIONS}`);
  // Normal equations (ZᵀZ) b = Zᵀy with Z = [1, controls], augmented with e₀ to read [(ZᵀZ)⁻¹]₀₀.
  const p = k + 1;
  const col = (j: number, i: number) => (j === 0 ? 1 : cols[j - 1][i]);
  const A: number[][] = Array.from({ length: p }, (_, a) => {
    const row = new Array<number>(p + 2).fill(0);
    for (let b = 0; b < p; b++) for (let i = 0; i < n; i++) row[b] += col(a, i) * col(b, i);
    for (let i = 0; i < n; i++) row[p] += col(a, i) * y[i];
    row[p + 1] = a === 0 ? 1 : 0;
    return row;
  });
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    if (!(Math.abs(A[piv][c]) > 1e-9 * n)) return fallback('the draws are collinear (one is a linear combination of the others)');
    [A[c], A[piv]] = [A[piv], A[c]];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      if (f !== 0) for (let j = c; j < p + 2; j++) A[r][j] -= f * A[c][j];
    }
  }
  const b = A.map((row, i) => row[p] / A[i][i]);
  const inv00 = A[0][p + 1] / A[0][0];
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let fit = b[0];
    for (let j = 1; j < p; j++) fit += b[j] * cols[j - 1][i];
    rss += (y[i] - fit) ** 2;
  }
  const df = n - k - 1;
  const se = Math.sqrt((rss / df) * inv00);
  const h = tQuantile975(df) * se;
  return {
    value: clamp(b[0]),
    se,
    low95: clamp(b[0] - h),
    high95: clamp(b[0] + h),
    plain,
    varianceRatio: se > 0 ? (plainSe * plainSe) / (se * se) : syy > 0 ? Infinity : 1,
    rSquared: syy > 0 ? 1 - rss / syy : 0,
    n,
    controls: used,
    holds: true,
  };
}

/** A control: an uncertain parameter and the exact mean of its distribution. */
export interface ParameterControl {
  parameter: string;
  mean: number;
}

/** Per payment model: its horizon outlay (yuan), P(ruin), and its paired difference from the first model. */
export interface ControlVariates {
  controls: ParameterControl[];
  models: { name: string; horizonOutlay: ControlVariateEstimate; ruin: ControlVariateEstimate; differenceFromFirst?: ControlVariateEstimate }[];
}

/** `y` per replication (sorted by replication) against the draws of `controls`. */
export function estimateWithControls(y: number[], params: Record<string, number>[], controls: ParameterControl[], probability = false): ControlVariateEstimate {
  return controlVariateMean(y, params.map((p) => controls.map((c) => p[c.parameter])), controls.map((c) => c.mean), controls.map((c) => c.parameter), probability);
}

/** The scenario's uncertain parameters with the exact means of their distributions. */
export function parameterControls(s: ScenarioFile): ParameterControl[] {
  return s.uncertainty.map((u) => ({ parameter: u.parameter, mean: meanOf(u.distribution) }));
}
