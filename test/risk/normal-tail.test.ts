// P(balance < 0) by the normal approximation (engine/risk/normal-tail.ts): its calibration on normal
// samples (bias, delta-method SE, interval coverage, variance against the share of negative
// balances), its fallbacks (too few replications, no spread, non-normal balances), and the whole
// pipeline checked against brute force: on a region of ~11,000 patients with the parameters fixed, the
// estimate from 40 replications agrees with the share of negative balances in 100 within 4 combined
// standard errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { normalCdf, normalTailProbability, MIN_REPLICATIONS } from '../../engine/risk/normal-tail.ts';
import { shareEstimate } from '../../engine/risk/probability.ts';
import { Purpose, Rng } from '../../engine/rng/stream.ts';
import { fenToYuan } from '../../engine/money/fen.ts';
import { runScenario, type RunResult } from '../../engine/run/run-scenario.ts';
import { normalCdf as referenceCdf } from '../helpers/actuarial.ts';
import { tinyScenario } from '../helpers/tiny.ts';

describe('normalCdf', () => {
  it('matches tabulated values of Φ', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 7);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 9);
    expect(normalCdf(1)).toBeCloseTo(0.841344746068543, 7);
    for (const x of [-6, -2.5, -0.3, 0.7, 4]) expect(normalCdf(x)).toBeCloseTo(referenceCdf(x), 12);
  });
});

describe('calibration on normal samples (2,000 trials of n replications, seeded)', () => {
  const trials = 2000;
  const rng = Rng.of(23, 0, 0, Purpose.population);
  const run = (n: number, p: number) => {
    const z = -inverseNormal(p); // balances ~ N(z, 1): P(B < 0) = p
    const est: number[] = [];
    const shares: number[] = [];
    let covered = 0;
    let seSum = 0;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: n }, () => z + rng.normal());
      const e = normalTailProbability(xs);
      est.push(e.value);
      seSum += e.se;
      if (e.low95 <= p && p <= e.high95) covered++;
      shares.push(xs.filter((x) => x < 0).length / n);
    }
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    const v = (a: number[]) => { const m = mean(a); return a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1); };
    return { mean: mean(est), sd: Math.sqrt(v(est)), se: seSum / trials, coverage: covered / trials, ratio: v(shares) / v(est) };
  };
  it.each([
    [20, 0.1],
    [40, 0.3],
    [40, 0.5],
    [100, 0.02],
  ])('n = %i, p = %f: unbiased within 4 SE, SE within 20% of the spread, coverage 95% ± 2.5 points, less variance than the share', (n, p) => {
    const r = run(n, p);
    expect(Math.abs(r.mean - p)).toBeLessThan(4 * (r.sd / Math.sqrt(trials)) + 0.004); // + the estimator's O(1/n) bias
    expect(r.se / r.sd).toBeGreaterThan(0.8);
    expect(r.se / r.sd).toBeLessThan(1.2);
    expect(r.coverage).toBeGreaterThan(0.925);
    expect(r.coverage).toBeLessThan(0.975);
    expect(r.ratio).toBeGreaterThan(1.2);
  });
});

describe('where it does not hold: the share is the answer', () => {
  it(`fewer than ${MIN_REPLICATIONS} replications`, () => {
    const e = normalTailProbability([1, 2, -1, 0.5, 3]);
    expect(e.holds).toBe(false);
    expect(e.reason).toMatch(/5 replications: the normal approximation needs at least 8/);
  });
  it('no spread', () => {
    expect(normalTailProbability(Array(9).fill(5)).reason).toMatch(/does not vary/);
  });
  it('skewed balances (exponential): rejected by Jarque–Bera', () => {
    const rng = Rng.of(7, 0, 0, Purpose.population);
    const xs = Array.from({ length: 200 }, () => 1 + Math.log(rng.uniform()));
    const e = normalTailProbability(xs);
    expect(e.holds).toBe(false);
    expect(e.reason).toMatch(/not normal \(Jarque–Bera/);
  });
  it('normal balances pass', () => {
    const rng = Rng.of(8, 0, 0, Purpose.population);
    expect(normalTailProbability(Array.from({ length: 200 }, () => rng.normal())).holds).toBe(true);
  });
});

describe('through the pipeline, against brute force (150,000 residents, 1 year, parameters fixed)', () => {
  let run: RunResult;
  beforeAll(async () => {
    // No opening balance and the chronic-care budget's share of income set at the 70th percentile of
    // the pilot's outlay ÷ income: about 30% of replications end the year below zero.
    const scenario = (share: number) => tinyScenario({ residents: 150_000, replications: 100, years: 1, extra: `financing:\n  chronicBudgetShare: { unit: share, source: "assumption: test", value: ${share} }\n  openingBalance: { unit: yuan, source: "assumption: test", value: 0 }\n` });
    const pilot = await runScenario(scenario(0.5), { workers: 1, replications: 20 });
    const ratios = pilot.replications.map((r) => r.models[0].years[0].fundOutlayFen / r.models[0].years[0].ledger.incomeFen).sort((x, y) => x - y);
    run = await runScenario(scenario(Math.round(ratios[Math.floor(0.7 * ratios.length)] * 1e6) / 1e6), { workers: 1 });
  });

  it('the estimate from 40 replications is within 4 combined SE of the share in 100, and in summary.json', () => {
    const bal = run.replications.map((r) => fenToYuan(r.models[0].years[0].ledger.closingBalanceFen));
    const bf = shareEstimate(bal.filter((x) => x < 0).length, bal.length);
    expect(bf.value).toBeGreaterThan(0.1);
    expect(bf.value).toBeLessThan(0.6);
    const e = normalTailProbability(bal.slice(0, 40));
    expect(e.holds).toBe(true);
    expect(Math.abs(e.value - bf.value)).toBeLessThan(4 * Math.sqrt(e.se ** 2 + bf.se ** 2));
    const inSummary = run.summary.models[0].risk.byYear[0].probabilityNegativeBalanceNormal!;
    expect(inSummary).toEqual(normalTailProbability(bal));
    expect(inSummary.holds).toBe(true);
    expect(Math.abs(inSummary.value - bf.value)).toBeLessThan(4 * bf.se);
  });

  it('absent with uncertain parameters (the balances are a mixture over draws)', async () => {
    const u = await runScenario(tinyScenario({ replications: 3, years: 1, extra: 'uncertainty:\n  - parameter: utilization.costTrend\n    distribution: { type: triangular, min: 0.0, mode: 0.03, max: 0.055 }\n    source: \"assumption: test\"\n' }), { workers: 1 });
    expect(u.replications[0].parameters).toBeDefined();
    expect(u.summary.models[0].risk.byYear[0].probabilityNegativeBalanceNormal).toBeUndefined();
  });
});

/** Φ⁻¹ by bisection on normalCdf (test helper). */
function inverseNormal(p: number): number {
  let lo = -10, hi = 10;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
