// The reference workload W (bench/workload-w.ts, bench/reference/WORKLOAD.md) on fundcast's
// primitives: its results agree with WORKLOAD.md's expected values within Monte Carlo error, and the
// same seed gives identical output for any worker count and task size. The timing is `npm run bench`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWRunner, type WRunner } from '../../bench/w-pool.ts';
import {
  BASELINE_OPTIONS,
  W_DEFAULT_SEED,
  wExpectedCost,
  wPopulation,
  wStats,
  type WAlgo,
} from '../../bench/workload-w.ts';

const P = 20_000;
const R = 20;
/** WORKLOAD.md's values for P = 100,000, scaled to P (the population's formulas are equidistributed). */
const scale = P / 100_000;
const EXPECTED_FUND = 82.68e6 * scale;
const EXPECTED_COST = 189.5e6 * scale;

describe('W(P = 20,000, R = 20) on fundcast primitives', () => {
  let one: WRunner;
  let two: WRunner;
  let inThread: WRunner;
  const base = new Map<WAlgo, Float64Array>();
  beforeAll(async () => {
    [one, two, inThread] = await Promise.all([createWRunner(1), createWRunner(2), createWRunner(0)]);
    for (const algo of ['monthly', 'annual'] as const) base.set(algo, await one.run(P, R, algo, W_DEFAULT_SEED));
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close(), inThread?.close()]);
  });

  for (const algo of ['monthly', 'annual'] as const) {
    it(`${algo}: mean fund and cost agree with WORKLOAD.md (scaled to P) and the exact mean cost within 4 standard errors`, () => {
      const s = wStats(base.get(algo)!);
      expect(s.R).toBe(R);
      // WORKLOAD.md rounds to 0.01M (fund) and 0.1M (cost) at P = 100,000: allow that rounding too.
      const seFund = Math.hypot(s.sdFund / Math.sqrt(R), 0.005e6 * scale);
      const seCost = Math.hypot(s.sdCost / Math.sqrt(R), 0.05e6 * scale);
      expect(Math.abs(s.meanFund - EXPECTED_FUND)).toBeLessThan(4 * seFund);
      expect(Math.abs(s.meanCost - EXPECTED_COST)).toBeLessThan(4 * seCost);
      // E[C] = Σ 12λ·exp(μ + σ²/2) exactly
      expect(Math.abs(s.meanCost - wExpectedCost(wPopulation(P)))).toBeLessThan((4 * s.sdCost) / Math.sqrt(R));
      // sd across replications: WORKLOAD.md's 0.10M at P = 1e5 scales with √P
      expect(s.sdFund).toBeGreaterThan(0.1e6 * Math.sqrt(scale) * 0.5);
      expect(s.sdFund).toBeLessThan(0.1e6 * Math.sqrt(scale) * 2);
      // every row in whole fen; fund ≤ cost
      const rows = base.get(algo)!;
      for (let r = 0; r < R; r++) {
        for (let c = 0; c < 4; c++) expect(Number.isSafeInteger(rows[4 * r + c])).toBe(true);
        expect(rows[4 * r + 1] + rows[4 * r + 2] + rows[4 * r + 3]).toBeLessThan(rows[4 * r]);
      }
    });

    it(`${algo}: same seed → identical output on 1 and 2 workers, in this thread, and for any task size`, async () => {
      const ref = base.get(algo)!;
      expect(await two.run(P, R, algo, W_DEFAULT_SEED)).toEqual(ref);
      expect(await two.run(P, R, algo, W_DEFAULT_SEED, { repsPerTask: 3, blocksPerTask: 1 })).toEqual(ref);
      expect(await one.run(P, R, algo, W_DEFAULT_SEED, { repsPerTask: 7, blocksPerTask: 5 })).toEqual(ref);
      expect(await inThread.run(P, R, algo, W_DEFAULT_SEED, { repsPerTask: R, blocksPerTask: 2 })).toEqual(ref);
      // a replication does not depend on how many are run
      expect(await inThread.run(P, 3, algo, W_DEFAULT_SEED)).toEqual(ref.subarray(0, 12));
      // and another seed changes it
      expect(await inThread.run(P, 2, algo, W_DEFAULT_SEED + 1)).not.toEqual(ref.subarray(0, 8));
    });
  }

  it('the buffered kernel with the engine primitives agrees too, and its output does not depend on the task size', async () => {
    const a = await two.run(P, R, 'monthly', W_DEFAULT_SEED, { kernel: 'buffered', options: BASELINE_OPTIONS });
    const b = await inThread.run(P, R, 'monthly', W_DEFAULT_SEED, { kernel: 'buffered', options: BASELINE_OPTIONS, repsPerTask: 4, blocksPerTask: 3 });
    expect(b).toEqual(a);
    const s = wStats(a);
    expect(Math.abs(s.meanFund - EXPECTED_FUND)).toBeLessThan(4 * Math.hypot(s.sdFund / Math.sqrt(R), 0.005e6 * scale));
  });
});

describe('W primitives', () => {
  it('population follows the frac() formulas', () => {
    const pop = wPopulation(1000);
    expect(Array.from(pop.tier.subarray(0, 6))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(pop.lam[0]).toBeCloseTo(0.5 + 1.5 * (0.41421356237309515 % 1), 15);
    expect(pop.mu[1]).toBeCloseTo(4 + ((2 * 0.7320508075688772) % 1), 15);
    expect(pop.sigma[2]).toBeCloseTo(0.5 + 0.5 * ((3 * 0.2360679774997898) % 1), 15);
    const signedShare = pop.signed.reduce((a, b) => a + b, 0) / 1000;
    expect(signedShare).toBeGreaterThan(0.38);
    expect(signedShare).toBeLessThan(0.42);
    // Poisson thresholds increase and match the CDF
    for (let j = 1; j < 8; j++) expect(pop.thresholds[j]).toBeGreaterThanOrEqual(pop.thresholds[j - 1]);
    expect(pop.thresholds[0]).toBe(Math.floor(Math.exp(-pop.lam[0]) * 2 ** 31 - 0.5) + 1);
  });
});
