/**
 * The normal-power (NP2) approximation of an aggregate loss with mean μ, standard deviation σ and
 * skewness γ, as R actuar's aggregateDist(method = "npower"):
 *
 *   VaR_p  = μ + σ·(z_p + γ/6·(z_p² − 1)),                       z_p = Φ⁻¹(p)
 *   F(x)   = Φ(z) with z the root of z + γ/6·(z² − 1) = (x − μ)/σ  (0 below the root's range)
 *   TVaR_p = (1/(1−p))·∫_p^1 VaR_u du = μ + σ·φ(z_p)/(1 − p)·(1 + γ z_p/6)
 *
 * It is meant for the right tail (p ≥ ½, x above the mean) and for moderate skewness (γ ≲ 1).
 * Reference: C. D. Daykin, T. Pentikäinen & M. Pesonen, "Practical Risk Theory for Actuaries"
 * (1994), §3.11 (NP approximation); Dutang, Goulet & Pigeon, J. Statistical Software 25(7), 2008, §5.
 * @example normalPower(100, 10, 0).quantile(0.975) // 119.59963984540054
 */
import { normalCdf, normalDensity, normalQuantile } from './normal-distribution.ts';

export function normalPower(mean: number, sd: number, skewness: number) {
  const g = skewness;
  return {
    quantile(p: number): number {
      const z = normalQuantile(p);
      return mean + sd * (z + (g / 6) * (z * z - 1));
    },
    cdf(x: number): number {
      const s = (x - mean) / sd;
      if (!Number.isFinite(s)) return s > 0 ? 1 : 0;
      // z = (3/γ)(√(1 + t) − 1), t = γ²/9 + 2γs/3, written without dividing by γ
      const t = g * (g / 9 + (2 * s) / 3);
      if (1 + t < 0) return g > 0 ? 0 : 1;
      return normalCdf((g / 3 + 2 * s) / (Math.sqrt(1 + t) + 1));
    },
    tvar(p: number): number {
      const z = normalQuantile(p);
      return mean + ((sd * normalDensity(z)) / (1 - p)) * (1 + (g * z) / 6);
    },
  };
}
