// Seeded streams (seed, replication, block, purpose): reproducible, distinct per key, and drawing
// from the right distributions. Tolerances are ≥ 5 standard errors, so a correct generator fails
// with probability < 1e-6 per check (and the seeds are fixed, so the tests are deterministic).
import { describe, expect, it } from 'vitest';
import { Purpose, Rng, streamState } from '../../engine/rng/stream.ts';

const N = 100_000;

function draws(r: Rng, n: number, f: (r: Rng) => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(r);
  return out;
}

function meanVar(xs: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i] - mean) ** 2;
  return { mean, variance: v / (xs.length - 1) };
}

const u32s = (seed: number, rep: number, block: number, purpose: number, n = 64) => {
  const r = Rng.of(seed, rep, block, purpose);
  return Array.from({ length: n }, () => r.nextU32());
};

describe('stream keys', () => {
  it('the same key gives the same sequence (and the same state)', () => {
    expect(u32s(42, 3, 7, Purpose.utilization)).toEqual(u32s(42, 3, 7, Purpose.utilization));
    expect(Array.from(streamState(42, 3, 7, 2))).toEqual(Array.from(streamState(42, 3, 7, 2)));
    const a = Rng.of(20250403, 1, 2, Purpose.population);
    const b = new Rng(streamState(20250403, 1, 2, Purpose.population));
    for (let i = 0; i < 1000; i++) expect(a.normal()).toBe(b.normal());
  });

  it('a different seed, replication, block or purpose gives a different sequence', () => {
    const base = u32s(42, 3, 7, Purpose.utilization);
    const variants = [
      u32s(43, 3, 7, Purpose.utilization),
      u32s(42, 4, 7, Purpose.utilization),
      u32s(42, 3, 8, Purpose.utilization),
      u32s(42, 3, 7, Purpose.population),
      u32s(42, 7, 3, Purpose.utilization), // replication and block are not interchangeable
      u32s(42 + 2 ** 32, 3, 7, Purpose.utilization), // the seed's high 32 bits count
    ];
    for (const v of variants) {
      expect(v).not.toEqual(base);
      // not a shifted copy either: hardly any value in common
      const common = v.filter((x) => base.includes(x)).length;
      expect(common).toBeLessThan(3);
    }
  });

  it('all keys in a grid of (replication, block, purpose) are distinct', () => {
    const seen = new Set<string>();
    for (let rep = 0; rep < 10; rep++) for (let b = 0; b < 20; b++) for (const p of Object.values(Purpose)) seen.add(Array.from(streamState(7, rep, b, p)).join(','));
    expect(seen.size).toBe(10 * 20 * Object.keys(Purpose).length);
  });

  it('neighbouring streams are uncorrelated', () => {
    const a = Rng.of(1, 0, 0, Purpose.utilization);
    const b = Rng.of(1, 0, 1, Purpose.utilization);
    const n = 20_000;
    let sab = 0, sa = 0, sb = 0, saa = 0, sbb = 0;
    for (let i = 0; i < n; i++) {
      const x = a.uniform();
      const y = b.uniform();
      sab += x * y; sa += x; sb += y; saa += x * x; sbb += y * y;
    }
    const cov = sab / n - (sa / n) * (sb / n);
    const corr = cov / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
    expect(Math.abs(corr)).toBeLessThan(5 / Math.sqrt(n));
  });

  it('rejects a seed that is not a safe integer', () => {
    expect(() => streamState(1.5, 0, 0, 1)).toThrow(RangeError);
    expect(() => streamState(2 ** 53, 0, 0, 1)).toThrow(RangeError);
  });
});

describe('distributions (1e5 draws)', () => {
  it('uniform lies in the open interval (0, 1) with mean ≈ 1/2 and variance ≈ 1/12, evenly over deciles', () => {
    const xs = draws(Rng.of(11, 0, 0, Purpose.utilization), N, (r) => r.uniform());
    let min = 1, max = 0;
    const deciles = new Array(10).fill(0);
    for (const x of xs) {
      if (x < min) min = x;
      if (x > max) max = x;
      deciles[Math.floor(x * 10)]++;
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    const { mean, variance } = meanVar(xs);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005); // se 0.0009
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    // chi-square with 9 df: 99.9999% quantile ≈ 43
    const chi2 = deciles.reduce((a, o) => a + (o - N / 10) ** 2 / (N / 10), 0);
    expect(chi2).toBeLessThan(43);
  });

  it('normal has mean ≈ 0 and sd ≈ 1, symmetric tails', () => {
    const xs = draws(Rng.of(12, 0, 0, Purpose.utilization), N, (r) => r.normal());
    const { mean, variance } = meanVar(xs);
    expect(Math.abs(mean)).toBeLessThan(0.02); // se 0.003
    expect(Math.abs(Math.sqrt(variance) - 1)).toBeLessThan(0.015); // se 0.0022
    const beyond196 = xs.filter((x) => Math.abs(x) > 1.959964).length / N;
    expect(Math.abs(beyond196 - 0.05)).toBeLessThan(0.004); // se 0.0007
  });

  it('lognormal has median exp(mu)', () => {
    const xs = Array.from(draws(Rng.of(13, 0, 0, Purpose.utilization), 20_001, (r) => r.lognormal(Math.log(45), 0.8))).sort((a, b) => a - b);
    const median = xs[10_000];
    expect(Math.abs(Math.log(median / 45))).toBeLessThan(0.03); // se of log-median ≈ 0.8·1.25/√20001 ≈ 0.007
  });

  for (const lambda of [0.3, 4, 50]) {
    it(`poisson(${lambda}) has mean ≈ λ and variance ≈ λ, integer values ≥ 0`, () => {
      const xs = draws(Rng.of(14, 0, Math.round(lambda * 10), Purpose.utilization), N, (r) => r.poisson(lambda));
      expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      const { mean, variance } = meanVar(xs);
      expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / N));
      expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.04); // relative se ≈ √(2/N) ≈ 0.0045 (+ λ⁻¹/N)
      // P(0) = exp(−λ)
      const p0 = xs.filter((x) => x === 0).length / N;
      const e0 = Math.exp(-lambda);
      expect(Math.abs(p0 - e0)).toBeLessThan(5 * Math.sqrt((e0 * (1 - e0)) / N) + 1e-9);
    });
  }

  it('poisson(50) matches the Poisson pmf near the mode (transformed rejection)', () => {
    const lambda = 50;
    const xs = draws(Rng.of(15, 0, 0, Purpose.utilization), N, (r) => r.poisson(lambda));
    let logp = -lambda; // log pmf at 0
    for (let k = 1; k <= 60; k++) {
      logp += Math.log(lambda / k);
      if (k < 40) continue;
      const p = Math.exp(logp);
      const obs = xs.filter((x) => x === k).length / N;
      expect(Math.abs(obs - p), `P(X = ${k})`).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    }
  });

  for (const lambda of [0.3, 4, 20]) {
    it(`poissonL(exp(−${lambda})) has the same distribution as poisson(${lambda})`, () => {
      const xs = draws(Rng.of(16, 1, 0, Purpose.utilization), N, (r) => r.poissonL(Math.exp(-lambda)));
      const { mean, variance } = meanVar(xs);
      expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / N));
      expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.04);
      // and its mean agrees with poisson(λ) drawn from another stream (two-sample difference, se √(2λ/N))
      const ys = draws(Rng.of(17, 0, 0, Purpose.utilization), N, (r) => r.poisson(lambda));
      expect(Math.abs(mean - meanVar(ys).mean)).toBeLessThan(5 * Math.sqrt((2 * lambda) / N));
    });
  }

  it('bernoulli, binomial and int behave', () => {
    const r = Rng.of(18, 0, 0, Purpose.parameters);
    let hits = 0;
    for (let i = 0; i < N; i++) if (r.bernoulli(0.3)) hits++;
    expect(Math.abs(hits / N - 0.3)).toBeLessThan(0.0075);
    const ks = draws(r, 10_000, (x) => x.int(7));
    expect(ks.every((k) => Number.isInteger(k) && k >= 0 && k < 7)).toBe(true);
    expect(new Set(ks).size).toBe(7);
    const bs = draws(r, 10_000, (x) => x.binomial(20, 0.25));
    expect(bs.every((k) => k >= 0 && k <= 20)).toBe(true);
    expect(Math.abs(meanVar(bs).mean - 5)).toBeLessThan(5 * Math.sqrt(3.75 / 10_000));
    expect(r.binomial(0, 0.5)).toBe(0);
    expect(r.binomial(10, 1)).toBe(10);
    expect(r.poisson(0)).toBe(0);
  });
});
