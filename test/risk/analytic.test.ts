// The simulation against analytic truth.
//
// "The engine's simulated" aggregate here is what the simulation kernel itself produces for one
// patient-year: the `fundFen` of the kernel's `patientYear` trace event (engine/utilization/kernel.ts,
// reached through engine/run/simulate.ts `simulateBlocks`), i.e. the sum of the fund shares of that
// patient-year's claims after synthesis, Poisson visit counts, tier choice, lognormal service costs,
// rounding to the fen and adjudication (F4) — with a scenario (test/helpers/compound.ts) in which
// that sum is a pure compound Poisson–lognormal sum: N ~ Poisson(12λ) visits, each costing
// X ~ LogNormal(ln m, s) yuan, all of it paid by the fund. Each patient-year is one draw of it.
//
// It is compared with (a) the exact moments E[S] = 12λ·E[X], Var S = 12λ·E[X²] and (b) the
// distribution of S computed by the engine's collective risk model (engine/risk/aggregate-loss.ts:
// Panjer's recursion on the severity discretized by the unbiased method, itself tested against exact
// compound answers in aggregate-loss.test.ts), within 3 Monte Carlo standard errors.
//
// A second block does the same for a compound Poisson–gamma aggregate built directly from the
// engine's random streams (engine/rng: `Rng.poisson` counts, `sample` of gamma severities): the
// distributions the engine uses for parameter uncertainty.
import { beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../engine/rng/distributions.ts';
import { Purpose, Rng } from '../../engine/rng/stream.ts';
import { compile, simulateBlocks, type Compiled } from '../../engine/run/simulate.ts';
import { aggregateLoss, type AggregateLoss, type SeveritySpec } from '../../engine/index.ts';
import type { ClaimTrace, PatientYearTrace } from '../../engine/utilization/kernel.ts';
import { compoundPoissonMoments, gammaMoment, lognormalMoment, orderStatisticInterval, sampleStats, sdStandardError, type SampleStats } from '../helpers/actuarial.ts';
import { compoundScenario } from '../helpers/compound.ts';

const Z = 3; // Monte Carlo tolerance, in standard errors
const LEVELS = [0.95, 0.99];

interface Reference {
  mean: number;
  variance: number;
  mu4: number;
  /** The engine's Panjer recursion on a grid of h yuan */
  h: number;
  panjer: AggregateLoss;
}

function reference(lambda: number, moment: (r: number) => number, severity: SeveritySpec, h: number): Reference {
  const exact = compoundPoissonMoments(lambda, moment);
  return { ...exact, h, panjer: aggregateLoss({ poisson: lambda }, severity, { step: h }) };
}

/** Compare a sample of aggregates (yuan) with the reference; `slack` (yuan) covers discretization and rounding. */
function compare(s: SampleStats, ref: Reference, slack: number) {
  const seMean = Math.sqrt(ref.variance / s.n);
  const sd = Math.sqrt(ref.variance);
  const seSd = sdStandardError(ref.variance, ref.mu4, s.n);
  expect(Math.abs(s.mean - ref.mean), `mean ${s.mean} vs exact ${ref.mean} (SE ${seMean})`).toBeLessThanOrEqual(Z * seMean + slack);
  expect(Math.abs(s.sd - sd), `sd ${s.sd} vs exact ${sd} (SE ${seSd})`).toBeLessThanOrEqual(Z * seSd + slack);
  for (const p of LEVELS) {
    const q = ref.panjer.quantile(p);
    const ci = orderStatisticInterval(s.sorted, p, Z);
    expect(ci.low, `P${p * 100}: order-statistic interval [${ci.low}, ${ci.high}] vs Panjer ${q}`).toBeLessThanOrEqual(q + ref.h + slack);
    expect(ci.high, `P${p * 100}: order-statistic interval [${ci.low}, ${ci.high}] vs Panjer ${q}`).toBeGreaterThanOrEqual(q - ref.h - slack);
  }
}

describe('the reference (the engine\'s Panjer recursion) reproduces the exact compound moments', () => {
  it('lognormal and gamma severities, step 0.5 yuan', () => {
    for (const [moment, severity] of [
      [(r: number) => lognormalMoment(50, 0.7, r), { lognormal: { meanlog: Math.log(50), sdlog: 0.7 } }],
      [(r: number) => gammaMoment(0.6, 80, r), { gamma: { shape: 0.6, scale: 80 } }],
    ] as const) {
      const ref = reference(6, moment, severity, 0.5);
      const g = ref.panjer.grid!;
      expect(g.massAbove).toBeLessThan(1e-6);
      expect(g.mean / ref.mean).toBeCloseTo(1, 6); // the unbiased discretization keeps the mean
      expect(g.sd ** 2 / ref.variance).toBeCloseTo(1, 3);
    }
  });
});

describe('kernel: a patient-year’s fund payment is compound Poisson–lognormal (tiny region, village tier only)', () => {
  const lambda = 0.5; // visits a month
  const m = 50; // yuan, median service cost
  const s = 0.7;
  const LAMBDA = 12 * lambda;
  let c: Compiled;
  const years: PatientYearTrace[] = [];
  const claims: ClaimTrace[] = [];
  const visitsPerYear: number[] = [];
  let ref: Reference;

  beforeAll(() => {
    c = compile(compoundScenario({ visitsPerMonth: lambda, median: m, sigma: s, years: 2 }).scenario);
    let visits = 0;
    for (const rep of [0, 1]) {
      simulateBlocks(c, rep, 0, c.region.blocks.length, (e) => {
        if (e.kind === 'patientYear') {
          years.push(e);
          visitsPerYear.push(visits);
          visits = 0;
        } else {
          claims.push(e);
          visits++;
        }
      });
    }
    ref = reference(LAMBDA, (r) => lognormalMoment(m, s, r), { lognormal: { meanlog: Math.log(m), sdlog: s } }, 0.5);
  });

  it('the scenario is what it claims: every claim an outpatient non-refill visit at the village tier, fully paid by the fund', () => {
    expect(c.years).toEqual([2025, 2026]);
    expect(years.length).toBeGreaterThan(10_000);
    const bad = claims.filter((e) => e.kind !== 'outpatient' || e.tier !== 0 || e.refill || e.offSite !== -1 || e.fundFen !== e.costFen || e.deductibleFen !== 0);
    expect(bad.slice(0, 3)).toEqual([]);
    expect(years.filter((y) => y.fundFen !== y.costFen || y.opFundFen !== y.fundFen).slice(0, 3)).toEqual([]);
    expect(visitsPerYear.reduce((a, b) => a + b, 0)).toBe(claims.length);
  });

  it('visits per patient-year ~ Poisson(12λ): mean and dispersion', () => {
    const st = sampleStats(visitsPerYear);
    expect(Math.abs(st.mean - LAMBDA)).toBeLessThanOrEqual(Z * Math.sqrt(LAMBDA / st.n));
    // sample variance of a Poisson: Var(s²) ≈ (μ4 − σ⁴)/n with μ4 = Λ + 3Λ²
    const seVar = Math.sqrt((LAMBDA + 2 * LAMBDA * LAMBDA) / st.n);
    expect(Math.abs(st.sd ** 2 - LAMBDA)).toBeLessThanOrEqual(Z * seVar);
  });

  it('cost per visit ~ LogNormal(ln m, s): mean and sd of the log cost', () => {
    const logs = claims.map((e) => Math.log(e.costFen / 100));
    const st = sampleStats(logs);
    expect(Math.abs(st.mean - Math.log(m))).toBeLessThanOrEqual(Z * (s / Math.sqrt(st.n)) + 1e-4);
    expect(Math.abs(st.sd - s)).toBeLessThanOrEqual(Z * (s / Math.sqrt(2 * st.n)) + 1e-4);
  });

  it('patient-year fund payment: mean, sd, P95 and P99 match the exact moments and Panjer', () => {
    const st = sampleStats(years.map((y) => y.fundFen / 100));
    // Rounding each visit to the fen moves a patient-year by at most N × 0.005 yuan: allow for 4 × 12λ visits.
    compare(st, ref, 4 * LAMBDA * 0.005);
  });

  it('the comparison has power: a 3% error in the severity median would be detected', () => {
    const st = sampleStats(years.map((y) => (1.03 * y.fundFen) / 100));
    expect(() => compare(st, ref, 4 * LAMBDA * 0.005)).toThrow();
  });
});

describe('compound Poisson–gamma from the engine’s streams (Rng.poisson + sample of gamma)', () => {
  for (const [lambda, shape, scale] of [
    [5, 2.5, 20],
    [6, 0.6, 80], // shape < 1: the u^(1/a) boost of Marsaglia–Tsang
  ] as const) {
    it(`N ~ Poisson(${lambda}), X ~ Gamma(shape ${shape}, scale ${scale}): mean, sd, P95, P99 match the exact moments and Panjer`, () => {
      const n = 20_000;
      const r = Rng.of(20250403, shape * 10, 0, Purpose.bootstrap);
      const xs = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const k = r.poisson(lambda);
        let sum = 0;
        for (let j = 0; j < k; j++) sum += sample({ type: 'gamma', shape, scale }, r);
        xs[i] = sum;
      }
      const ref = reference(lambda, (q) => gammaMoment(shape, scale, q), { gamma: { shape, scale } }, 0.5);
      compare(sampleStats(xs), ref, 0);
    });
  }
});
