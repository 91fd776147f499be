// Non-negative least squares (Lawson–Hanson, engine/replay/nnls.ts) against exhaustive search over
// the active sets; the additive rates' standard errors against the spread of repeated fits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { additiveRates } from '../../engine/replay/additive-rates.ts';
import { nnlsNormal, solve } from '../../engine/replay/nnls.ts';
import { Rng } from '../../engine/rng/stream.ts';

/** The best feasible solution over every subset of free variables (K ≤ 5). */
function bruteForce(A: number[][], b: number[]): number[] {
  const K = A[0].length;
  const G = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => A.reduce((s, r) => s + r[i] * r[j], 0)));
  const h = Array.from({ length: K }, (_, i) => A.reduce((s, r, k) => s + r[i] * b[k], 0));
  const loss = (x: number[]) => A.reduce((s, r, k) => s + (r.reduce((t, a, j) => t + a * x[j], 0) - b[k]) ** 2, 0);
  let best = new Array<number>(K).fill(0);
  let bestLoss = loss(best);
  for (let set = 1; set < 1 << K; set++) {
    const P = [...Array(K).keys()].filter((j) => (set >> j) & 1);
    let z: number[];
    try {
      z = solve(P.map((i) => P.map((j) => G[i][j])), P.map((i) => h[i]));
    } catch {
      continue;
    }
    if (z.some((v) => !(v >= 0))) continue;
    const x = new Array<number>(K).fill(0);
    P.forEach((j, a) => (x[j] = z[a]));
    const l = loss(x);
    if (l < bestLoss - 1e-12) [best, bestLoss] = [x, l];
  }
  return best;
}

describe('nnls (Lawson–Hanson)', () => {
  it('finds the exhaustive search’s solution', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (K, seed) => {
          const rng = new Rng(new Uint32Array([seed, 1, 2, 3]));
          const A = Array.from({ length: K + 4 }, () => Array.from({ length: K }, () => rng.uniform() * 2 - 0.5));
          const b = A.map(() => rng.uniform() * 4 - 2);
          const G = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => A.reduce((s, r) => s + r[i] * r[j], 0)));
          const h = Array.from({ length: K }, (_, i) => A.reduce((s, r, k) => s + r[i] * b[k], 0));
          const { x } = nnlsNormal(G, h);
          const want = bruteForce(A, b);
          x.forEach((v, j) => expect(v).toBeCloseTo(want[j], 8));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('additive rates: the standard error matches the spread of fits over repeated samples (within 25%)', () => {
    // 300 patients × 2 conditions (some both), Poisson counts at rates 0.1 and 0.3 per unit exposure.
    const fits: number[][] = [];
    const ses: number[][] = [];
    const rng = new Rng(new Uint32Array([7, 7, 7, 7]));
    const poisson = (l: number) => {
      let k = 0;
      let p = Math.exp(-l);
      let F = p;
      const u = rng.uniform();
      while (u > F) p *= l / ++k, (F += p);
      return k;
    };
    for (let rep = 0; rep < 300; rep++) {
      const rows = Array.from({ length: 300 }, (_, i) => {
        const mask = (i % 3) + 1;
        const e = 6 + (i % 7);
        const x = [mask & 1 ? e : 0, mask & 2 ? e : 0];
        return { x, count: poisson(0.1 * x[0] + 0.3 * x[1]), weight: 1 / e };
      });
      const r = additiveRates(rows, 2);
      fits.push(r.map((e) => e!.value));
      ses.push(r.map((e) => e!.se));
    }
    for (let k = 0; k < 2; k++) {
      const m = fits.reduce((a, f) => a + f[k], 0) / fits.length;
      const sd = Math.sqrt(fits.reduce((a, f) => a + (f[k] - m) ** 2, 0) / (fits.length - 1));
      const meanSe = ses.reduce((a, s) => a + s[k], 0) / ses.length;
      // Unbiased: the mean of 300 fits within 3 standard errors of the mean.
      expect(Math.abs(m - [0.1, 0.3][k]) / (sd / Math.sqrt(fits.length))).toBeLessThan(3);
      expect(meanSe / sd).toBeGreaterThan(0.75);
      expect(meanSe / sd).toBeLessThan(1.25);
    }
  });
});
