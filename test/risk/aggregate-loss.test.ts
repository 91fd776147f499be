// The collective risk model (engine/risk/aggregate-loss.ts) against exact answers.
//
// Exact reference: with gamma severities of one scale θ, the sum of n claims is gamma(n·shape, θ),
// so P(S ≤ x) = P(N = 0) + Σ_n P(N = n)·P(n·shape, x/θ) — a mixture of gamma distribution functions
// over the claim count, computed here with the test helpers' independent incomplete gamma
// (test/helpers/actuarial.ts, Numerical Recipes) — for Poisson and negative binomial N. Likewise
// E[(S − q)₊] = Σ_n P(N = n)·(n·shape·θ·Q(n·shape + 1, q/θ) − q·Q(n·shape, q/θ)) gives the exact TVaR.
//
// Tolerance: the recursion is exact for the discretized severity; the unbiased discretization
// replaces each claim X by X + D with E[D | X] = 0 and |D| < h, so the grid's S is S + ΣD and
// (Hoeffding, given N ≤ N*) P(|ΣD| > δ) ≤ ε for δ = h·√(2·N*·ln(2/ε)). Hence, with ε = 1e-6,
// F(x − δ) − ε ≤ G(x) ≤ F(x + δ) + ε for the grid's cdf G, and each quantile lies within δ + one
// grid step of the exact one. Moments are checked tightly: the grid's mean is exact, its variance
// exceeds the exact by at most E[N]·h²/4 (plus the step doublings' h²/4 each).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateLoss, FundcastError, type FrequencySpec } from '../../engine/index.ts';
import { panjer } from '../../engine/risk/panjer.ts';
import { regularizedGamma } from '../../engine/risk/incomplete-gamma.ts';
import { normalCdf, normalQuantile } from '../../engine/risk/normal-distribution.ts';
import { gammaP, lnGamma, normalCdf as referenceNormalCdf } from '../helpers/actuarial.ts';

const EPS = 1e-6;

interface Exact {
  /** P(N = n) for n in [lo, hi]. */
  lo: number;
  hi: number;
  pmf: (n: number) => number;
  shape: number;
  scale: number;
}

/** P(N = n) tabulated once over [lo, hi]. */
function tabulated(lo: number, hi: number, f: (n: number) => number): (n: number) => number {
  const t = new Float64Array(hi - lo + 1);
  for (let n = lo; n <= hi; n++) t[n - lo] = f(n);
  return (n) => t[n - lo];
}

function poisson(lambda: number, shape: number, scale: number): Exact {
  const w = 14 * Math.sqrt(lambda) + 30;
  const lo = Math.max(0, Math.floor(lambda - w));
  const hi = Math.ceil(lambda + w);
  return { lo, hi, pmf: tabulated(lo, hi, (n) => Math.exp(-lambda + n * Math.log(lambda) - lnGamma(n + 1))), shape, scale };
}

function negativeBinomial(size: number, prob: number, shape: number, scale: number): Exact {
  const mean = (size * (1 - prob)) / prob;
  const sd = Math.sqrt(mean / prob);
  const lo = Math.max(0, Math.floor(mean - 14 * sd - 30));
  const hi = Math.ceil(mean + 25 * sd + 60);
  return { lo, hi, pmf: tabulated(lo, hi, (n) => Math.exp(lnGamma(n + size) - lnGamma(size) - lnGamma(n + 1) + size * Math.log(prob) + n * Math.log1p(-prob))), shape, scale };
}

function exactCdf(e: Exact, x: number): number {
  if (x < 0) return 0;
  let s = 0;
  const y = x / e.scale;
  for (let n = e.lo; n <= e.hi; n++) {
    const a = n * e.shape;
    // gamma(a) more than 12 sd (+30) away from y: P(a, y) is 0 or 1 to within e^−70
    const far = 12 * Math.sqrt(a) + 30;
    s += e.pmf(n) * (n === 0 || y - a > far ? 1 : a - y > far ? 0 : gammaP(a, y));
  }
  return s;
}

function exactQuantile(e: Exact, p: number, lo: number, hi: number): number {
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (exactCdf(e, mid) >= p) hi = mid;
    else lo = mid;
  }
  return hi;
}

function exactTvar(e: Exact, p: number, q: number): number {
  let excess = 0;
  for (let n = Math.max(1, e.lo); n <= e.hi; n++) {
    const a = n * e.shape;
    excess += e.pmf(n) * (a * e.scale * (1 - gammaP(a + 1, q / e.scale)) - q * (1 - gammaP(a, q / e.scale)));
  }
  return q + excess / (1 - p);
}

const LEVELS = [0.5, 0.9, 0.95, 0.99, 0.995];

/** Check the engine's recursive result against the exact answer; returns the δ used. */
function checkAgainstExact(frequency: FrequencySpec, e: Exact, step: number | undefined, opts: { tvar?: boolean } = {}) {
  const s = aggregateLoss(frequency, { gamma: { shape: e.shape, scale: e.scale } }, step === undefined ? undefined : { step });
  const g = s.grid!;
  const nStar = e.hi;
  const delta = g.severityStep * Math.sqrt(2 * nStar * Math.log(2 / EPS)) + g.step;
  // moments: exact mean and sd from the mixture
  let w = 0, m1 = 0, v = 0;
  for (let n = e.lo; n <= e.hi; n++) {
    w += e.pmf(n);
    m1 += e.pmf(n) * n * e.shape * e.scale;
  }
  m1 /= w;
  for (let n = e.lo; n <= e.hi; n++) v += (e.pmf(n) * (n * e.shape * e.scale ** 2 + (n * e.shape * e.scale - m1) ** 2)) / w;
  expect(s.mean / m1).toBeCloseTo(1, 9);
  expect(s.sd / Math.sqrt(v)).toBeCloseTo(1, 8);
  expect(Math.abs(g.mean - s.mean) / s.sd, 'the unbiased discretization keeps the mean').toBeLessThan(1e-6);
  const extra = (s.mean / (e.shape * e.scale)) * (g.severityStep ** 2 / 4) + Math.log2(g.step / g.severityStep + 1) * (g.step ** 2 / 4);
  expect(g.sd ** 2, 'grid variance ≥ exact').toBeGreaterThanOrEqual(s.sd ** 2 * (1 - 1e-9));
  expect(g.sd ** 2, 'grid variance ≤ exact + E[N]·h²/4').toBeLessThanOrEqual(s.sd ** 2 + extra);
  for (const p of LEVELS) {
    const q = s.quantile(p);
    // cdf and quantile agree on the grid
    expect(s.cdf(q)).toBeGreaterThanOrEqual(p);
    expect(s.cdf(q - g.step)).toBeLessThan(p);
    // the exact distribution at the engine's quantile ± δ
    expect(exactCdf(e, q + delta) + EPS, `P${p}: exact cdf at VaR + δ`).toBeGreaterThanOrEqual(p);
    expect(exactCdf(e, q - delta - g.step) - EPS, `P${p}: exact cdf at VaR − δ`).toBeLessThan(p);
    expect(s.tvar(p)).toBeGreaterThanOrEqual(q);
    if (opts.tvar) {
      const qe = exactQuantile(e, p, q - delta - g.step, q + delta);
      expect(Math.abs(s.tvar(p) - exactTvar(e, p, qe)), `TVaR${p}`).toBeLessThanOrEqual(2 * delta);
    }
  }
  return { s, delta };
}

describe('Panjer recursion (engine/risk/panjer.ts)', () => {
  it('with every claim of size exactly 1 gives the claim-count distribution: Poisson, negative binomial', () => {
    const f = Float64Array.of(0, 1);
    // it stops once the probabilities sum to 1 within 1e-13
    const g = panjer({ kind: 'poisson', lambda: 4.2 }, f, 60);
    expect(1 - g.reduce((a, b) => a + b, 0)).toBeLessThan(1e-13);
    for (let k = 0; k < g.length; k++) expect(g[k] / Math.exp(-4.2 + k * Math.log(4.2) - lnGamma(k + 1))).toBeCloseTo(1, 12);
    const nb = panjer({ kind: 'negativeBinomial', size: 2.5, prob: 0.3 }, f, 200);
    expect(1 - nb.reduce((a, b) => a + b, 0)).toBeLessThan(1e-13);
    const pmf = negativeBinomial(2.5, 0.3, 1, 1).pmf;
    for (let k = 0; k < nb.length; k++) expect(nb[k] / pmf(k)).toBeCloseTo(1, 10);
  });

  it('started in log space where P(S = 0) underflows: Poisson(900) claims of size 1', () => {
    expect(Math.exp(-900)).toBe(0);
    const g = panjer({ kind: 'poisson', lambda: 900 }, Float64Array.of(0, 1), 3000);
    for (const k of [800, 900, 1000]) expect(g[k] / Math.exp(-900 + k * Math.log(900) - lnGamma(k + 1))).toBeCloseTo(1, 9);
    expect(g.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('special functions', () => {
  it('incomplete gamma: closed forms P(1, x) = 1 − e^−x, P(½, x) = erf √x; far tails accurate relative to themselves', () => {
    for (const x of [0.01, 0.5, 2, 10, 40]) {
      const r = regularizedGamma(1, x);
      expect(r.q / Math.exp(-x)).toBeCloseTo(1, 12);
      expect(r.p / -Math.expm1(-x)).toBeCloseTo(1, 12);
    }
    // Q(½, z²/2) = 2(1 − Φ(z)); the helper's erfc is good to 1.2e-7 relative
    for (const z of [0.3, 1, 2.5, 6]) expect(regularizedGamma(0.5, (z * z) / 2).q / (2 * (1 - referenceNormalCdf(z)))).toBeCloseTo(1, 5);
    // against the helper's independent series / continued fraction
    for (const [a, x] of [[0.04, 0.01], [2.5, 3], [300, 280], [300, 330], [4e4, 4.01e4]]) expect(regularizedGamma(a, x).p).toBeCloseTo(gammaP(a, x), 10);
  });

  it('normal quantile inverts the cdf', () => {
    for (const p of [1e-9, 0.025, 0.5, 0.95, 0.995, 1 - 1e-9]) expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 10);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
  });
});

describe('aggregateLoss, recursive: exact compound answers', () => {
  it('Poisson(10) claims, gamma(shape 2, scale 500) severity, step 5: cdf, VaR, TVaR, moments', () => {
    checkAgainstExact({ poisson: 10 }, poisson(10, 2, 500), 5, { tvar: true });
  });

  it('Poisson(5) claims, gamma(shape 0.6, scale 80) (shape < 1: most claims small), default step', () => {
    checkAgainstExact({ poisson: 5 }, poisson(5, 0.6, 80), undefined, { tvar: true });
  });

  it('negative binomial(size 3, prob 0.3) claims, gamma(1.5, 200), step 2', () => {
    checkAgainstExact({ negativeBinomial: { size: 3, prob: 0.3 } }, negativeBinomial(3, 0.3, 1.5, 200), 2, { tvar: true });
  });

  it('Poisson(900): P(N = 0) underflows, one recursion started in log space', () => {
    const { s } = checkAgainstExact({ poisson: 900 }, poisson(900, 2, 10), undefined);
    expect(s.grid!.convolutions).toBe(0);
  });

  it('Poisson(200,000) (a region’s claims): 2^−k of the claims, then k self-convolutions', () => {
    const { s, delta } = checkAgainstExact({ poisson: 2e5 }, poisson(2e5, 2, 10), undefined);
    expect(s.grid!.convolutions).toBeGreaterThan(10);
    expect(delta / s.sd).toBeLessThan(0.3); // the check is not vacuous
  });

  it('negative binomial with 400,000 expected claims (size 50, overdispersed)', () => {
    const size = 50;
    const mean = 4e5;
    const { s } = checkAgainstExact({ negativeBinomial: { size, prob: size / (size + mean) } }, negativeBinomial(size, size / (size + mean), 2, 10), undefined);
    expect(s.quantile(0.995)).toBeGreaterThan(s.mean * 1.3);
  });

  it('an NB too overdispersed for either grid at the default step (3.6 million claims, size 1000): one recursion at a coarser step, moments kept', () => {
    const size = 1000;
    const mean = 3.6e6;
    const sev = { gamma: { shape: 0.04, scale: 1000 } };
    const s = aggregateLoss({ negativeBinomial: { size, prob: size / (size + mean) } }, sev);
    const g = s.grid!;
    const defaultStep = Math.max(Math.sqrt(0.04 * 1.04 * 1000 ** 2) / 20, Math.sqrt(s.sd ** 2 / (1000 * mean)));
    expect(g.convolutions).toBe(0);
    expect(g.severityStep).toBeGreaterThan(defaultStep);
    expect(Math.abs(g.mean - s.mean) / s.sd).toBeLessThan(1e-6);
    expect(g.sd ** 2 - s.sd ** 2).toBeLessThanOrEqual(mean * (g.severityStep ** 2 / 4) + 13 * (g.step ** 2 / 4));
    expect(g.sd / s.sd - 1).toBeLessThan(0.01);
    // the aggregate is near normal here (skewness ≈ 0.06): normal power agrees
    const np = aggregateLoss({ negativeBinomial: { size, prob: size / (size + mean) } }, sev, { method: 'normalPower' });
    expect(s.quantile(0.995) / np.quantile(0.995)).toBeCloseTo(1, 3);
  });

  it('the comparison has power: a claim rate 3% off is detected', () => {
    expect(() => checkAgainstExact({ poisson: 10.3 }, poisson(10, 2, 500), 5)).toThrow();
  });

  it('lognormal severity: moments exact, and the recursion matches its own discretized distribution’s moments', () => {
    const s = aggregateLoss({ poisson: 20 }, { lognormal: { meanlog: 3, sdlog: 1 } }, { step: 3 });
    const ex = Math.exp(3 + 0.5);
    const ex2 = Math.exp(6 + 2);
    expect(s.mean).toBeCloseTo(20 * ex, 9);
    expect(s.sd).toBeCloseTo(Math.sqrt(20 * ex2), 9);
    expect(s.grid!.mean / s.mean).toBeCloseTo(1, 6);
    expect(s.grid!.sd ** 2 - s.sd ** 2).toBeGreaterThanOrEqual(-1e-6 * s.sd ** 2);
    expect(s.grid!.sd ** 2 - s.sd ** 2).toBeLessThanOrEqual((20 * 3 ** 2) / 4);
  });
});

describe('aggregateLoss, recursive: properties for any parameters', () => {
  it('cdf is a non-decreasing step function that reaches quantile p at VaR_p; VaR and TVaR increase with p; TVaR ≥ VaR; the grid keeps the mean', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: 0.05, max: 3000, noNaN: true }).map((lambda) => ({ poisson: lambda })),
          fc.record({ size: fc.double({ min: 0.2, max: 50, noNaN: true }), prob: fc.double({ min: 0.02, max: 0.95, noNaN: true }) }).map((nb) => ({ negativeBinomial: nb })),
        ),
        fc.oneof(
          fc.record({ shape: fc.double({ min: 0.05, max: 20, noNaN: true }), scale: fc.double({ min: 0.01, max: 1e4, noNaN: true }) }).map((g) => ({ gamma: g })),
          fc.record({ meanlog: fc.double({ min: -3, max: 8, noNaN: true }), sdlog: fc.double({ min: 0.05, max: 1.5, noNaN: true }) }).map((l) => ({ lognormal: l })),
        ),
        (frequency, severity) => {
          const s = aggregateLoss(frequency as FrequencySpec, severity);
          const g = s.grid!;
          // kept exactly but for the far tail of a lognormal beyond the severity grid (≤ 2^14 points)
          expect(Math.abs(g.mean - s.mean)).toBeLessThanOrEqual(1e-5 * s.mean);
          let prevQ = -Infinity;
          let prevT = -Infinity;
          for (const p of [0.5, 0.9, 0.99, 0.995]) {
            const q = s.quantile(p);
            const t = s.tvar(p);
            expect(s.cdf(q)).toBeGreaterThanOrEqual(p);
            expect(s.cdf(q - g.step)).toBeLessThan(p);
            expect(q).toBeGreaterThanOrEqual(prevQ);
            expect(t).toBeGreaterThanOrEqual(q);
            expect(t).toBeGreaterThanOrEqual(prevT - 1e-9 * t);
            prevQ = q;
            prevT = t;
          }
          for (let x = 0; x < s.mean + 5 * s.sd; x += (s.mean + 5 * s.sd) / 50) expect(s.cdf(x + (s.mean + 5 * s.sd) / 50)).toBeGreaterThanOrEqual(s.cdf(x));
        },
      ),
      { numRuns: 50, seed: 20250403 },
    );
  });
});

describe('aggregateLoss, normal power', () => {
  it('is exact for a normal limit: Poisson(200,000) gamma(2, 10) quantiles within 0.02% of exact', () => {
    const e = poisson(2e5, 2, 10);
    const np = aggregateLoss({ poisson: 2e5 }, { gamma: { shape: 2, scale: 10 } }, { method: 'normalPower' });
    expect(np.skewness).toBeCloseTo((2e5 * 2 * 3 * 4 * 1000) / (2e5 * 2 * 3 * 100) ** 1.5, 9);
    for (const p of [0.95, 0.995]) {
      const q = np.quantile(p);
      expect(exactCdf(e, q * 0.9998)).toBeLessThan(p);
      expect(exactCdf(e, q * 1.0002)).toBeGreaterThan(p);
    }
  });

  it('cdf inverts quantile; TVaR is the average of the VaRs beyond the level', () => {
    const np = aggregateLoss({ negativeBinomial: { size: 20, prob: 0.2 } }, { gamma: { shape: 1.5, scale: 100 } }, { method: 'normalPower' });
    for (const p of [0.6, 0.9, 0.99, 0.995]) {
      expect(np.cdf(np.quantile(p))).toBeCloseTo(p, 10);
      // midpoint rule over u in (p, 1)
      const n = 20000;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += np.quantile(p + ((i + 0.5) * (1 - p)) / n);
      expect(np.tvar(p) / (sum / n)).toBeCloseTo(1, 4);
    }
  });
});

describe('aggregateLoss: bad arguments give clear errors', () => {
  const ok = { gamma: { shape: 2, scale: 10 } };
  const cases: [string, () => unknown, RegExp][] = [
    ['no frequency', () => aggregateLoss(undefined as never, ok), /frequency must be an object with one of poisson, negativeBinomial/],
    ['two frequencies', () => aggregateLoss({ poisson: 1, negativeBinomial: { size: 1, prob: 0.5 } } as never, ok), /frequency must have exactly one of poisson, negativeBinomial/],
    ['negative lambda', () => aggregateLoss({ poisson: -1 }, ok), /frequency\.poisson must be a finite number > 0 \(got -1\)/],
    ['NaN lambda', () => aggregateLoss({ poisson: NaN }, ok), /frequency\.poisson must be a finite number > 0 \(got NaN\)/],
    ['prob 1', () => aggregateLoss({ negativeBinomial: { size: 2, prob: 1 } }, ok), /frequency\.negativeBinomial\.prob must be a number strictly between 0 and 1 \(got 1\)/],
    ['size 0', () => aggregateLoss({ negativeBinomial: { size: 0, prob: 0.5 } }, ok), /frequency\.negativeBinomial\.size must be a finite number > 0 \(got 0\)/],
    ['unknown severity', () => aggregateLoss({ poisson: 1 }, { pareto: { shape: 2 } } as never), /severity must have exactly one of gamma, lognormal/],
    ['gamma scale 0', () => aggregateLoss({ poisson: 1 }, { gamma: { shape: 2, scale: 0 } }), /severity\.gamma\.scale must be a finite number > 0 \(got 0\)/],
    ['lognormal sdlog missing', () => aggregateLoss({ poisson: 1 }, { lognormal: { meanlog: 1 } } as never), /severity\.lognormal\.sdlog must be a finite number > 0 \(got undefined\)/],
    ['lognormal meanlog Infinity', () => aggregateLoss({ poisson: 1 }, { lognormal: { meanlog: Infinity, sdlog: 1 } }), /severity\.lognormal\.meanlog must be a finite number/],
    ['step 0', () => aggregateLoss({ poisson: 1 }, ok, { step: 0 }), /options\.step must be a finite number > 0 \(got 0\)/],
    ['unknown method', () => aggregateLoss({ poisson: 1 }, ok, { method: 'fft' } as never), /options\.method must be "recursive" or "normalPower" \(got "fft"\)/],
    ['unknown option', () => aggregateLoss({ poisson: 1 }, ok, { steps: 1 } as never), /options\.steps is not an option \(step, method\)/],
    ['step far too fine', () => aggregateLoss({ poisson: 1e6 }, ok, { step: 1e-3 }), /options\.step is too fine for this aggregate: .* use a step of at least/],
    ['quantile p = 1', () => aggregateLoss({ poisson: 1 }, ok).quantile(1), /quantile: p must be a probability strictly between 0 and 1 \(got 1\)/],
    ['tvar p = 0', () => aggregateLoss({ poisson: 1 }, ok, { method: 'normalPower' }).tvar(0), /tvar: p must be a probability strictly between 0 and 1 \(got 0\)/],
    ['cdf NaN', () => aggregateLoss({ poisson: 1 }, ok).cdf(NaN), /cdf: x must be a number \(got NaN\)/],
  ];
  it.each(cases)('%s', (_name, call, message) => {
    let err: unknown;
    try {
      call();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FundcastError);
    expect((err as FundcastError).code).toBe('ERR_ARGUMENT');
    expect((err as Error).message).toMatch(/^aggregateLoss/);
    expect((err as Error).message).toMatch(message);
  });
});
