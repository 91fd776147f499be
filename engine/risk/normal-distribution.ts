/**
 * The standard normal distribution: Φ(z), its upper tail 1 − Φ(z) (accurate relative to itself far
 * out, through Φ̄(z) = Q(½, z²/2)/2 for z ≥ 0), and the quantile Φ⁻¹(p) (simple-statistics' probit
 * refined by Newton steps on that Φ, so Φ(Φ⁻¹(p)) = p to ~1e-15).
 * Reference: M. Abramowitz & I. A. Stegun, "Handbook of Mathematical Functions" (1964), 26.2.30
 * (the normal tail as an incomplete gamma function); incomplete gamma: incomplete-gamma.ts.
 * @example normalCdf(1.959963984540054) // 0.975
 */
import { probit } from 'simple-statistics';
import { regularizedGamma } from './incomplete-gamma.ts';

/** 1 − Φ(z). */
export function normalSurvival(z: number): number {
  if (z === 0) return 0.5;
  const half = regularizedGamma(0.5, (z * z) / 2).q / 2;
  return z > 0 ? half : 1 - half;
}

export function normalCdf(z: number): number {
  if (z === 0) return 0.5;
  const half = regularizedGamma(0.5, (z * z) / 2).q / 2;
  return z < 0 ? half : 1 - half;
}

/** Standard normal density. */
export function normalDensity(z: number): number {
  return Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
}

/** Φ⁻¹(p) for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must lie strictly between 0 and 1 (got ${p})`);
  let z = probit(p);
  for (let i = 0; i < 3; i++) {
    // Newton on the smaller tail, where it is accurate
    const err = p < 0.5 ? normalCdf(z) - p : 1 - p - normalSurvival(z);
    const step = err / normalDensity(z);
    z -= step;
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return z;
}
