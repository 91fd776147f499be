/**
 * Panjer's recursion: the distribution of S = X₁ + … + X_N on the grid of a discretized severity f,
 * for N in the (a, b, 0) class (frequency.ts), as R actuar's aggregateDist(method = "recursive"):
 *
 *   g₀ = P_N(f₀),   g_k = Σ_{j=1..k} (a + b·j/k) f_j g_{k−j} / (1 − a f₀)
 *
 * exact on the grid. The recursion is linear in g₀, so where g₀ underflows (e^{−λ} for λ > 745) it
 * is started in log space: from 1 with ln g₀ kept aside, the values rescaled by e^{−640} whenever
 * they grow past e^{640}, and multiplied back by their scale at the end (the first points, far
 * below any probability that matters, then underflow to 0). It runs until the probabilities reach
 * P_N(1 − tail) (the total that the severity's mass on the grid allows; `severityTail` = the
 * severity's probability beyond its grid) to within 1e-13 plus the rounding
 * error of that total and of the running sum (≈ 1e-16 × (|ln P(N = 0)| + 1) × severity points), or `maxPoints`
 * points (the rest is then missing from the top of the returned distribution).
 * Reference: H. H. Panjer, "Recursive evaluation of a family of compound distributions", ASTIN
 * Bulletin 12(1), 1981; Klugman, Panjer & Willmot, "Loss Models" (4th ed., 2012), §9.6.
 * @example panjer({ kind: 'poisson', lambda: 2 }, Float64Array.of(0, 1), 60, 0) // Poisson(2) probabilities
 */
import { frequencyAB, frequencyLogPgf, frequencyLogPgfComplement, type Frequency } from './frequency.ts';

const BIG = 640;

export function panjer(n: Frequency, f: Float64Array, maxPoints: number, severityTail = 0): Float64Array {
  const { a, b } = frequencyAB(n);
  // P(no claim beyond the severity's grid), from that tail's probability (not from 1 − Σf, whose
  // rounding an NB with small prob would magnify past the tolerance below)
  const target = Math.exp(frequencyLogPgfComplement(n, severityTail));
  const g = new Float64Array(maxPoints);
  const logG0 = frequencyLogPgf(n, f[0]);
  // true g_k = g[k] · e^{logScale}
  let logScale = logG0 > -600 ? 0 : logG0;
  g[0] = logG0 > -600 ? Math.exp(logG0) : 1;
  const den = 1 - a * f[0];
  const Kf = f.length;
  const jf = new Float64Array(Kf);
  for (let j = 1; j < Kf; j++) jf[j] = j * f[j];
  let stored = g[0];
  const trueTotal = () => (logScale === 0 ? stored : Math.exp(logScale + Math.log(stored)));
  // Rounding: P_N(Σf) is known to about E[N]·(its terms)·1e-16, the running total to k·1e-16.
  const tolerance = 1e-13 + 1.1e-16 * (Math.abs(frequencyLogPgf(n, 0)) + 1) * Kf;
  let k = 1;
  for (; k < maxPoints && target - trueTotal() > tolerance + 1.1e-16 * k; k++) {
    // Σ (a + b·j/k) f_j g_{k−j} = a·Σ f_j g_{k−j} + (b/k)·Σ j f_j g_{k−j}
    let s0 = 0;
    let s1 = 0;
    const jm = Math.min(k, Kf - 1);
    if (a === 0) {
      for (let j = 1; j <= jm; j++) s1 += jf[j] * g[k - j];
    } else {
      for (let j = 1; j <= jm; j++) {
        const gk = g[k - j];
        s0 += f[j] * gk;
        s1 += jf[j] * gk;
      }
    }
    g[k] = (a * s0 + (b / k) * s1) / den;
    stored += g[k];
    if (g[k] > Math.exp(BIG)) {
      const down = Math.exp(-BIG);
      for (let i = 0; i <= k; i++) g[i] *= down;
      stored *= down;
      logScale += BIG;
    }
  }
  const out = g.slice(0, k);
  if (logScale !== 0) for (let i = 0; i < k; i++) out[i] = out[i] === 0 ? 0 : Math.exp(Math.log(out[i]) + logScale);
  return out;
}
