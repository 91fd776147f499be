// Control variates with exactly known means (engine/risk/control-variates.ts): the uncertain
// parameters' draws. On synthetic metrics with known truth: unbiased within 4 SE over many trials,
// the SE matching the spread, 95% coverage, and less variance than the plain mean — for a smooth
// metric and for an indicator (ruin); the fallbacks; and through the pipeline (summary.controlVariates,
// and --precision using it).
import { describe, expect, it } from 'vitest';
import { controlVariateMean, parameterControls } from '../../engine/risk/control-variates.ts';
import { Purpose, Rng } from '../../engine/rng/stream.ts';
import { sample, meanOf, type Distribution } from '../../engine/rng/distributions.ts';
import { runScenario } from '../../engine/run/run-scenario.ts';
import { SummarySchema } from '../../engine/run/summary-schema.ts';
import { tinyScenario } from '../helpers/tiny.ts';

const D1: Distribution = { type: 'triangular', min: 0, mode: 0.03, max: 0.055 };
const D2: Distribution = { type: 'lognormal', median: 1, sigma: 0.35 };
const D3: Distribution = { type: 'beta', alpha: 35, beta: 65 };

function trials(T: number, n: number, f: (t: number[], rng: Rng) => number, truth: number, probability = false) {
  const rng = Rng.of(2023, 0, 0, Purpose.population);
  const cv: number[] = [];
  const plain: number[] = [];
  let covered = 0;
  let seSum = 0;
  for (let t = 0; t < T; t++) {
    const draws = Array.from({ length: n }, () => [sample(D1, rng), sample(D2, rng), sample(D3, rng)]);
    const y = draws.map((d) => f(d, rng));
    const e = controlVariateMean(y, draws, [D1, D2, D3].map(meanOf), ['a', 'b', 'c'], probability);
    expect(e.holds).toBe(true);
    cv.push(e.value);
    plain.push(e.plain.value);
    seSum += e.se;
    if (e.low95 <= truth && truth <= e.high95) covered++;
  }
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const sd = (a: number[]) => { const m = mean(a); return Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1)); };
  return { mean: mean(cv), sd: sd(cv), se: seSum / T, coverage: covered / T, ratio: (sd(plain) / sd(cv)) ** 2 };
}

describe('controlVariateMean on metrics with known truth (1,000 trials, seeded)', () => {
  it('a smooth metric, Y = 10 + 200·a + 5·b + 3·c + noise: unbiased, SE = spread, 95% coverage, far less variance', () => {
    const truth = 10 + 200 * meanOf(D1) + 5 * meanOf(D2) + 3 * meanOf(D3);
    const r = trials(1000, 40, ([a, b, c], rng) => 10 + 200 * a + 5 * b + 3 * c + 0.5 * rng.normal(), truth);
    expect(Math.abs(r.mean - truth)).toBeLessThan(4 * (r.sd / Math.sqrt(1000)));
    expect(r.se / r.sd).toBeGreaterThan(0.85);
    expect(r.se / r.sd).toBeLessThan(1.15);
    expect(r.coverage).toBeGreaterThan(0.93);
    expect(r.coverage).toBeLessThan(0.97);
    expect(r.ratio).toBeGreaterThan(5);
  });
  it('an indicator (ruin when 100·a + 2·b + noise > 5): unbiased within 4 SE, less variance than the share', () => {
    // truth by a large plain Monte Carlo of the same model (independent stream), 400,000 draws
    const rng = Rng.of(99, 0, 0, Purpose.population);
    let k = 0;
    const N = 400_000;
    for (let i = 0; i < N; i++) if (100 * sample(D1, rng) + 2 * sample(D2, rng) + 0.5 * rng.normal() > 5) k++;
    const truth = k / N;
    const seTruth = Math.sqrt((truth * (1 - truth)) / N);
    const r = trials(1000, 60, ([a, b], g) => (100 * a + 2 * b + 0.5 * g.normal() > 5 ? 1 : 0), truth, true);
    expect(Math.abs(r.mean - truth)).toBeLessThan(4 * Math.sqrt(r.sd ** 2 / 1000 + seTruth ** 2) + 0.003); // + O(1/n) bias
    expect(r.coverage).toBeGreaterThan(0.9);
    expect(r.ratio).toBeGreaterThan(1.3);
  });
});

describe('where it does not hold: the plain mean', () => {
  const y = Array.from({ length: 30 }, (_, i) => i % 7);
  it('too few replications for the controls', () => {
    const e = controlVariateMean(y.slice(0, 12), y.slice(0, 12).map((_, i) => [i, i * i % 5, (i * 3) % 4]), [0, 0, 0], ['a', 'b', 'c']);
    expect(e.holds).toBe(false);
    expect(e.reason).toMatch(/12 replications for 3 controls: control variates need at least 14/);
    expect(e.value).toBe(e.plain.value);
  });
  it('draws that do not vary, or collinear draws', () => {
    expect(controlVariateMean(y, y.map(() => [1]), [1], ['a']).reason).toMatch(/did not vary/);
    expect(controlVariateMean(y, y.map((_, i) => [i, 2 * i + 1]), [0, 0], ['a', 'b']).reason).toMatch(/collinear/);
  });
});

describe('through the pipeline (tiny region, two uncertain parameters, 16 replications)', () => {
  const text = `uncertainty:
  - parameter: utilization.costTrend
    distribution: { type: triangular, min: 0.0, mode: 0.03, max: 0.055 }
    source: "assumption: test"
  - parameter: utilization.hospitalizationRate
    apply: factor
    distribution: { type: lognormal, median: 1, sigma: 0.35 }
    source: "assumption: test"
`;
  it('summary.controlVariates: every model, the exact means, within 4 combined SE of the plain mean, smaller SE', async () => {
    const loaded = tinyScenario({ replications: 16, years: 3, extra: text });
    const r = await runScenario(loaded, { workers: 1 });
    const cv = r.summary.controlVariates!;
    expect(cv.controls).toEqual(parameterControls(r.scenario));
    expect(cv.controls.map((c) => c.parameter)).toEqual(['utilization.costTrend', 'utilization.hospitalizationRate']);
    expect(cv.controls[1].mean).toBeCloseTo(Math.exp(0.35 ** 2 / 2), 12);
    const o = cv.models[0].horizonOutlay;
    expect(o.holds).toBe(true);
    expect(o.plain.value).toBeCloseTo(r.summary.models[0].horizon.fundOutlay.mean!, 4);
    expect(Math.abs(o.value - o.plain.value)).toBeLessThan(4 * Math.sqrt(o.se ** 2 + o.plain.se ** 2));
    expect(o.se).toBeLessThan(o.plain.se);
    expect(o.rSquared).toBeGreaterThan(0.5);
    expect(cv.models[0].ruin.value).toBeGreaterThanOrEqual(0);
    expect(() => SummarySchema.parse({ schemaVersion: 1, scenario: { name: 'x', title: null, hash: 'h' }, seed: 1, ...JSON.parse(JSON.stringify(r.summary)) })).not.toThrow();
    const p = await runScenario(loaded, { workers: 1, precision: { outlay: 0.5 } });
    expect(p.precision!.metrics.every((m) => m.method === 'control variates')).toBe(true);
    expect(p.precision!.metrics[0].estimate).toBeCloseTo(o.value, 6);
  });

  it('absent without uncertain parameters', async () => {
    const r = await runScenario(tinyScenario({ replications: 2, years: 1 }), { workers: 1 });
    expect(r.summary.controlVariates).toBeUndefined();
  });
});
