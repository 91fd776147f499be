// The kernel's exact sampling primitives (engine/rng): the table exp against Math.exp, the ziggurat
// against the normal distribution (moments, CDF, tail), Poisson counts by integer thresholds
// against sequential inversion of the same uniform (identical counts), and sub-streams.
// Tolerances are ≥ 5 standard errors on fixed seeds: deterministic, and a correct method fails with
// probability < 1e-6 per check.
import { describe, expect, it } from 'vitest';
import { expTable } from '../../engine/rng/exp.ts';
import { POISSON_K, POISSON_TAIL, poissonTail, poissonThresholds } from '../../engine/rng/poisson-table.ts';
import { Rng, seedSubStream, streamKey, streamState } from '../../engine/rng/stream.ts';
import { fillZiggurat, ZR } from '../../engine/rng/ziggurat.ts';

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 through erf; |error| < 1.5e-7). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

describe('expTable', () => {
  it('matches Math.exp to 1e-15 relative over |x| ≤ 700 (measured: 4.4e-16)', () => {
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      const x = -700 + (1400 * i) / 200_000 + 1e-7 * (i % 7);
      worst = Math.max(worst, Math.abs(expTable(x) / Math.exp(x) - 1));
    }
    expect(worst).toBeLessThan(1e-15);
    expect(expTable(0)).toBe(1);
    expect(expTable(1)).toBe(Math.E);
  });
});

describe('ziggurat normals', () => {
  const st = streamState(1, 2, 3, 4);
  const b = new Float64Array(1 << 16);
  const n = 64 * b.length;
  let s1 = 0;
  let s2 = 0;
  let s4 = 0;
  let beyond3 = 0;
  let beyondR = 0;
  const grid = [-2.5, -1.5, -1, -0.5, 0, 0.3, 0.8, 1.2, 2, 3.2];
  const below = new Float64Array(grid.length);
  for (let k = 0; k < 64; k++) {
    fillZiggurat(st, b);
    for (const z of b) {
      s1 += z;
      s2 += z * z;
      s4 += z ** 4;
      if (Math.abs(z) > 3) beyond3++;
      if (Math.abs(z) > ZR) beyondR++;
      for (let g = 0; g < grid.length; g++) if (z <= grid[g]) below[g]++;
    }
  }

  it('have the standard normal moments', () => {
    expect(Math.abs(s1 / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });

  it('follow the normal CDF at every grid point (rectangles, wedges and tail alike)', () => {
    grid.forEach((x, g) => {
      const p = phi(x);
      expect(Math.abs(below[g] / n - p), `P(Z ≤ ${x})`).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n) + 2e-7);
    });
  });

  it('have the normal tail, beyond 3 and beyond the ziggurat base (the exact tail sampler)', () => {
    for (const [count, x] of [[beyond3, 3], [beyondR, ZR]] as const) {
      const p = 2 * (1 - phi(x));
      expect(Math.abs(count / n - p), `P(|Z| > ${x})`).toBeLessThan(5 * Math.sqrt(p / n));
    }
  });
});

describe('Poisson by integer thresholds', () => {
  /** Sequential inversion of u = (q + ½)/2³¹: the smallest k with u ≤ F(k). */
  const sequential = (q: number, lambda: number) => {
    const u = (q + 0.5) * 2 ** -31;
    let k = 0;
    let p = Math.exp(-lambda);
    let F = p;
    while (u > F && k < 1000) {
      k++;
      p *= lambda / k;
      F += p;
    }
    return k;
  };
  const byThresholds = (q: number, T: Int32Array, tail: Float64Array) => {
    let n = 0;
    for (let j = 0; j < POISSON_K; j++) if (q >= T[j]) n++;
    return n === POISSON_K ? poissonTail(q, tail, 0) : n;
  };

  it('gives the same count as sequential inversion for the same uniform, at every λ and at the thresholds themselves', () => {
    const r = new Rng(streamState(5, 0, 0, 1));
    for (const lambda of [0, 1e-6, 0.004, 0.15, 0.5, 1, 1.7, 3, 8.5, 29, 120]) {
      const T = new Int32Array(POISSON_K);
      const tail = new Float64Array(POISSON_TAIL);
      poissonThresholds(lambda, T, 0, tail, 0);
      const qs = [0, 2 ** 31 - 1];
      for (const t of T) qs.push(Math.max(0, t - 1), t, Math.min(2 ** 31 - 1, t + 1));
      for (let i = 0; i < 20_000; i++) qs.push(r.nextU32() >>> 1);
      for (const q of qs) expect(byThresholds(q, T, tail), `λ = ${lambda}, q = ${q}`).toBe(sequential(q, lambda));
    }
  });

  it('refuses a rate whose e^(−λ) would underflow', () => {
    expect(() => poissonThresholds(800, new Int32Array(POISSON_K), 0, new Float64Array(POISSON_TAIL), 0)).toThrow(/\[0, 700\]/);
    expect(() => poissonThresholds(NaN, new Int32Array(POISSON_K), 0, new Float64Array(POISSON_TAIL), 0)).toThrow(/\[0, 700\]/);
  });
});

describe('sub-streams', () => {
  it('are reproducible, distinct per index, and the key is streamState\'s', () => {
    const key = streamKey(42, 3, 7, 20_002_025);
    const a = new Int32Array(8);
    seedSubStream(key, 0, a, 0);
    seedSubStream(key, 0, a, 4);
    expect([...a.subarray(0, 4)]).toEqual([...a.subarray(4)]);
    const seen = new Set<string>();
    for (let p = 0; p < 10_000; p++) {
      seedSubStream(key, p, a, 0);
      seen.add(a.subarray(0, 4).join(','));
    }
    expect(seen.size).toBe(10_000);
    // streamState expands the same key (its words as unsigned).
    const s = streamState(42, 3, 7, 20_002_025);
    expect(s.length).toBe(4);
    expect(streamKey(42, 3, 7, 20_002_025)).toBe(key);
  });
});
