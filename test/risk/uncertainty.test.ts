// Parameter uncertainty (probabilistic sensitivity analysis, engine/uncertainty): each uncertain
// parameter is drawn once per replication on a stream of its own keyed by its path; the draws are
// reported per replication (ReplicationResult.parameters, replications.csv `param:<path>`), applied
// (value or factor) to every dated value, checked against the parameter's rules, and independent of
// the worker count.
//
// The draws are observed through their effect where it is exact: `financing.openingBalance` (value)
// is the first year's opening balance of the ledger, and `financing.perCapita` (factor, a mapping of
// numbers with several dated values) scales the ledger's income = enrollees × (subsidy + individual).
import { indexFactor } from '../../engine/params/indexed.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromCSV } from 'arquero';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FundcastError, ScenarioError } from '../../engine/errors.ts';
import { yuanToFen } from '../../engine/money/fen.ts';
import type { LoadedScenario } from '../../engine/params/load.ts';
import { runScenario, type RunResult } from '../../engine/run/run-scenario.ts';
import { writeResults } from '../../engine/report/write-results.ts';
import { sample } from '../../engine/rng/distributions.ts';
import { Purpose, Rng, streamState } from '../../engine/rng/stream.ts';
import { drawParameters, pathKey } from '../../engine/params/uncertainty/apply.ts';
import { tinyScenario } from '../helpers/tiny.ts';

const OPENING = `  - parameter: financing.openingBalance
    distribution: { type: uniform, min: 1000000, max: 3000000 }
    source: "assumption: test"`;
const PER_CAPITA = `  - parameter: financing.perCapita
    apply: factor
    distribution: { type: lognormal, median: 1, sigma: 0.1 }
    source: "assumption: test"`;
const withUncertainty = (entries: string[], replications = 4) => tinyScenario({ replications, years: 2, extra: `uncertainty:\n${entries.join('\n')}\n` });

/** 2025 financing of the default region (yuan per person): the factor's base. */
const SUBSIDY_2025 = 700;
const INDIVIDUAL_2025 = 400;

describe('uncertain parameters in a run (tiny region, 4 replications)', () => {
  let loaded: LoadedScenario;
  let run: RunResult;
  let dir: string;
  beforeAll(async () => {
    loaded = withUncertainty([OPENING, PER_CAPITA]);
    run = await runScenario(loaded, { workers: 1 });
    dir = mkdtempSync(join(tmpdir(), 'fundcast-uncertainty-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('each replication reports its draws, and they are the values the run used', () => {
    expect(run.replications.length).toBe(4);
    for (const rep of run.replications) {
      expect(Object.keys(rep.parameters ?? {}).sort()).toEqual(['financing.openingBalance', 'financing.perCapita']);
      const opening = rep.parameters!['financing.openingBalance'];
      const factor = rep.parameters!['financing.perCapita'];
      expect(opening).toBeGreaterThanOrEqual(1e6);
      expect(opening).toBeLessThanOrEqual(3e6);
      expect(factor).toBeGreaterThan(0);
      for (const m of rep.models) {
        expect(m.years[0].ledger.openingBalanceFen).toBe(yuanToFen(opening));
        for (const y of m.years) {
          // financing from 2025 on is the 2025 value, scaled by the factor, grown after 2025 by perCapitaGrowth
          const growth = indexFactor(y.year, 2025, loaded.scenario.financing.perCapitaGrowth);
          expect(y.ledger.incomeFen).toBe(y.ledger.enrollees * yuanToFen((SUBSIDY_2025 * factor + INDIVIDUAL_2025 * factor) * growth));
        }
      }
    }
  });

  it('the draws differ across replications', () => {
    for (const k of ['financing.openingBalance', 'financing.perCapita']) {
      const xs = run.replications.map((r) => r.parameters![k]);
      expect(new Set(xs).size, k).toBe(xs.length);
    }
  });

  it('summary.parameters describes the draws across replications', () => {
    const d = run.summary.parameters?.['financing.openingBalance'];
    expect(d).toBeDefined();
    const xs = run.replications.map((r) => r.parameters!['financing.openingBalance']);
    expect(d!.n).toBe(4);
    expect(d!.mean).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / 4, 6);
    expect(d!.min).toBe(Math.min(...xs));
    expect(d!.max).toBe(Math.max(...xs));
  });

  it('replications.csv has a param:<path> column per uncertain parameter with each replication’s draw', () => {
    writeResults(dir, run, { scenarioFiles: loaded.files });
    // (blank lines skipped: see the next test)
    const rows = (fromCSV(readFileSync(join(dir, 'replications.csv'), 'utf8')).objects() as Record<string, unknown>[]).filter((r) => r.replication !== null);
    expect(rows.length).toBe(4 * 2 * run.replications[0].models.length); // replication × year × model
    for (const row of rows) {
      const rep = run.replications.find((r) => r.replication === Number(row.replication))!;
      for (const k of ['financing.openingBalance', 'financing.perCapita']) {
        expect(row, `column param:${k}`).toHaveProperty([`param:${k}`]);
        const v = Number(row[`param:${k}`]);
        expect(Math.abs(v - rep.parameters![k])).toBeLessThanOrEqual(1e-9 * Math.abs(rep.parameters![k]));
      }
    }
  });

  it('replications.csv reads back with arquero (the library that wrote it) as exactly its rows: no blank row at the end', () => {
    writeResults(dir, run, { scenarioFiles: loaded.files });
    const text = readFileSync(join(dir, 'replications.csv'), 'utf8');
    const rows = fromCSV(text).objects() as Record<string, unknown>[];
    expect(rows.length).toBe(4 * 2 * run.replications[0].models.length);
    expect(text.endsWith('\n\n')).toBe(false);
  });

  it('each draw comes from the stream keyed by (seed, replication, path) (engine/params/uncertainty/apply.ts)', () => {
    for (const rep of run.replications) {
      const r = new Rng(streamState(loaded.scenario.seed, rep.replication, pathKey('financing.openingBalance'), Purpose.parameters));
      expect(rep.parameters!['financing.openingBalance']).toBe(sample({ type: 'uniform', min: 1e6, max: 3e6 }, r));
    }
  });

  it('adding a second uncertain parameter (before or after) does not change the first one’s draws', async () => {
    const alone = await runScenario(withUncertainty([OPENING]), { workers: 1 });
    const after = await runScenario(withUncertainty([PER_CAPITA, OPENING]), { workers: 1 });
    const draws = (r: RunResult) => r.replications.map((x) => x.parameters!['financing.openingBalance']);
    expect(draws(alone)).toEqual(draws(run));
    expect(draws(after)).toEqual(draws(run));
    expect(after.replications.map((x) => x.parameters!['financing.perCapita'])).toEqual(run.replications.map((x) => x.parameters!['financing.perCapita']));
    expect(Object.keys(alone.replications[0].parameters!)).toEqual(['financing.openingBalance']);
    // the opening balance alone: outlays unchanged (it affects only the ledger)
    expect(alone.replications.map((r) => r.models[0].years.map((y) => y.fundOutlayFen))).toEqual(run.replications.map((r) => r.models[0].years.map((y) => y.fundOutlayFen)));
  });
});

describe('applying a draw', () => {
  it('apply: factor scales every dated value of a mapping of numbers (financing.perCapita, 7 dates)', () => {
    const s = withUncertainty([PER_CAPITA]).scenario;
    const before = s.financing.perCapita.values!;
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(7);
    const d = drawParameters(s, 3);
    const f = d.values['financing.perCapita'];
    expect(f).not.toBe(1);
    const after = d.scenario.financing.perCapita.values!;
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const date of Object.keys(before)) {
      expect(after[date].subsidy).toBeCloseTo(before[date].subsidy * f, 9);
      expect(after[date].individual).toBeCloseTo(before[date].individual * f, 9);
    }
    // the input scenario is not modified
    expect(s.financing.perCapita.values).toEqual(before);
  });

  it('apply: factor on one number inside a value scales that number only; apply: value replaces it', () => {
    const s = withUncertainty([
      `  - parameter: benefits.ratio.village
    apply: factor
    distribution: { type: uniform, min: 0.8, max: 0.9 }
    source: "assumption: test"`,
      `  - parameter: utilization.costTrend
    distribution: { type: uniform, min: 0.01, max: 0.05 }
    source: "assumption: test"`,
    ]).scenario;
    const d = drawParameters(s, 0);
    const f = d.values['benefits.ratio.village'];
    const r0 = s.benefits.ratio.value!;
    const r1 = d.scenario.benefits.ratio.value!;
    expect(r1.village).toBeCloseTo(r0.village * f, 12);
    expect([r1.township, r1.hospital]).toEqual([r0.township, r0.hospital]);
    const trend = d.values['utilization.costTrend'];
    expect(trend).toBeGreaterThanOrEqual(0.01);
    expect(d.scenario.utilization.costTrend.value).toBe(trend);
  });

  it('apply: factor scales a rate by condition as a mapping (utilization.hospitalizationRate)', () => {
    const s = withUncertainty([
      `  - parameter: utilization.hospitalizationRate
    apply: factor
    distribution: { type: lognormal, median: 1, sigma: 0.2 }
    source: "assumption: test"`,
    ]).scenario;
    const d = drawParameters(s, 1);
    const f = d.values['utilization.hospitalizationRate'];
    const before = s.utilization.hospitalizationRate.value as Record<string, number>;
    const after = d.scenario.utilization.hospitalizationRate.value as Record<string, number>;
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const k of Object.keys(before)) expect(after[k]).toBeCloseTo(before[k] * f, 12);
  });
});

describe('bad uncertainty', () => {
  const BAD = `  - parameter: population.signedShare
    distribution: { type: normal, mean: 0.7, sd: 0.5 }
    source: "assumption: test"`;
  /** The first replication whose draw of population.signedShare ~ N(0.7, 0.5) leaves [0, 1], computed from its stream. */
  const firstBad = (seed: number) => {
    for (let rep = 0; rep < 100; rep++) {
      const x = sample({ type: 'normal', mean: 0.7, sd: 0.5 }, new Rng(streamState(seed, rep, pathKey('population.signedShare'), Purpose.parameters)));
      if (x < 0 || x > 1) return { rep, x };
    }
    throw new Error('test bug: no draw outside [0, 1] in 100 replications');
  };

  it('a draw outside the parameter’s range fails with a FundcastError naming the parameter, the draw and the rule', async () => {
    const loaded = withUncertainty([BAD], 8);
    const bad = firstBad(loaded.scenario.seed);
    expect(bad.rep).toBeLessThan(8);
    const err = await runScenario(loaded, { workers: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FundcastError);
    const e = err as FundcastError;
    expect(e.code).toBe('ERR_UNCERTAINTY');
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('population.signedShare');
    expect(e.message).toContain(String(Math.round(bad.x * 1e6) / 1e6));
    expect(e.message).toMatch(bad.x < 0 ? /a share must be ≥ 0/ : /a share must be ≤ 1/);
    // drawParameters itself, for that replication
    expect(() => drawParameters(loaded.scenario, bad.rep)).toThrow(FundcastError);
  });

  it('a draw outside the parameter’s range is the same user error on 2 worker threads (not an internal worker failure)', async () => {
    const loaded = withUncertainty([BAD], 8);
    const err = await runScenario(loaded, { workers: 2 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FundcastError);
    expect((err as FundcastError).message).toContain('population.signedShare');
    expect((err as FundcastError).code).toBe('ERR_UNCERTAINTY');
    expect((err as FundcastError).exitCode).toBe(2);
  });

  it('an unknown parameter path is rejected at validation, naming uncertainty[1].parameter', () => {
    let err: unknown;
    try {
      withUncertainty([
        `  - parameter: utilization.noSuchRate
    distribution: { type: uniform, min: 0, max: 1 }
    source: "assumption: test"`,
      ]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const issues = (err as ScenarioError).issues;
    expect(issues.map((i) => i.path)).toContain('uncertainty[1].parameter');
    expect(issues.find((i) => i.path === 'uncertainty[1].parameter')!.rule).toContain('utilization.noSuchRate');
  });

  it('a path to something that is not a number is rejected at validation (value on a mapping; a non-parameter)', () => {
    for (const [path, apply] of [
      ['utilization.tierPreference', 'value'],
      ['region.counties', 'value'],
    ]) {
      expect(() =>
        withUncertainty([
          `  - parameter: ${path}
    apply: ${apply}
    distribution: { type: uniform, min: 0, max: 1 }
    source: "assumption: test"`,
        ]),
      ).toThrow(/uncertainty\[1\]\.parameter/);
    }
  });
});

describe('uncertainty and the worker pool', () => {
  it('results are identical for workers 1 and 2, draws included', async () => {
    const loaded = withUncertainty([OPENING, PER_CAPITA, `  - parameter: utilization.costTrend
    distribution: { type: normal, mean: 0.03, sd: 0.01 }
    source: "assumption: test"`], 3);
    const one = await runScenario(loaded, { workers: 1 });
    const two = await runScenario(loaded, { workers: 2, blocksPerTask: 1 });
    expect(two.workers).toBe(2);
    expect(two.replications).toEqual(one.replications);
    expect(JSON.stringify(two.summary)).toBe(JSON.stringify(one.summary));
    // the uncertain cost trend changes outlays between replications beyond the usual noise: the draws are used
    expect(new Set(one.replications.map((r) => r.parameters!['utilization.costTrend'])).size).toBe(3);
  });
});
