/**
 * A severity distribution discretized on the grid 0, h, 2h, …, (K−1)h by the *unbiased* method
 * (local moment matching of order 1, actuar's `discretize(method = "unbiased")`): the probability
 * of each interval [jh, (j+1)h] is split between its two ends so that the interval's mean is kept,
 * so the discretized severity has exactly the mean of the continuous one (up to the tail beyond the
 * grid, returned as `tail`), and its variance exceeds it by at most h²/4.
 *
 *   mass m₀ = S(jh) − S((j+1)h),  first moment m₁ = E[X]·(S₁(jh) − S₁((j+1)h)),
 *   to (j+1)h: (m₁ − jh·m₀)/h,  to jh: the rest
 *
 * with S the survival function and S₁ that of the size-biased distribution (severity.ts); each
 * difference is taken on the side (survival or cdf) where it is accurate.
 * Reference: Klugman, Panjer & Willmot, "Loss Models" (4th ed., 2012), §9.6.5 (method of local
 * moment matching); C. Dutang, V. Goulet & M. Pigeon, "actuar: An R package for actuarial science",
 * J. Statistical Software 25(7), 2008, §4 (discretize, aggregateDist).
 * @example discretizeUnbiased(checkSeverity({ gamma: { shape: 2, scale: 10 } }), 1, 400).f // f[0] + … ≈ 1
 */
import { severityMoment, severityTail, type Severity } from './severity.ts';

export function discretizeUnbiased(s: Severity, h: number, K: number): { f: Float64Array; tail: number } {
  const mu = severityMoment(s, 1);
  const f = new Float64Array(K);
  let t0 = severityTail(s, 0, 0);
  let t1 = severityTail(s, 0, 1);
  for (let j = 0; j < K - 1; j++) {
    const n0 = severityTail(s, (j + 1) * h, 0);
    const n1 = severityTail(s, (j + 1) * h, 1);
    const m0 = t0.s < 0.5 ? t0.s - n0.s : n0.f - t0.f;
    const m1 = mu * (t1.s < 0.5 ? t1.s - n1.s : n1.f - t1.f);
    const up = Math.min(Math.max((m1 - j * h * m0) / h, 0), Math.max(m0, 0));
    f[j] += Math.max(m0, 0) - up;
    f[j + 1] += up;
    t0 = n0;
    t1 = n1;
  }
  return { f, tail: t0.s };
}
