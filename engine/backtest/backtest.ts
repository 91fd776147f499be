/**
 * Back-test (docs/replay.md, "Back-test"): is a forecast made from the data's earlier years borne
 * out by its last year? The claims of all years but the last are calibrated (engine/replay/
 * calibrate.ts) into a scenario fragment; the fragment is run over the calibration years and the
 * held-out year (the cohort ages, dies, leaves and registers as the template says; costs follow its
 * trends); the held-out year's forecast — mean and the P5–P95 interval over replications, a 90%
 * prediction interval — is set against what the held-out claims show, replayed under the same rules
 * and payment model. By default each replication is a fit to its own bootstrap resample of the
 * calibration years' patients (engine/replay/bootstrap.ts streams), so the interval holds the fit's
 * uncertainty as well as one year's chance; `fixedFit` runs the one fit's replications instead (the
 * chance alone).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../report/atomic.ts';
import { FundcastError } from '../errors.ts';
import { loadScenario, parseScenarioText, type LoadedScenario } from '../params/load.ts';
import { calibrate, fragmentYaml, baseReference, writeFragment, type Fit } from '../replay/calibrate.ts';
import { bootstrapWeights } from '../replay/bootstrap.ts';
import { registeredMonths } from '../replay/exposure.ts';
import { runReplay, type ReplayData } from '../replay/replay.ts';
import { describe, type Description } from '../risk/describe.ts';
import { runScenario } from '../run/run-scenario.ts';
import { resampleData } from './resample.ts';
import { dataWithinYears } from './split.ts';

/** The measures compared, as summary.json names them. */
export const BACKTEST_MEASURES = ['fundOutlay', 'patients', 'visits', 'admissions', 'totalCost'] as const;
export type BacktestMeasure = (typeof BACKTEST_MEASURES)[number];

export interface BacktestOptions {
  /** The template the calibration extends, and whose rules the held-out year is replayed under. */
  base: LoadedScenario;
  baseRef: string;
  /** Where the calibrated fragment is written (a directory). */
  dir: string;
  replications: number;
  seed?: number;
  workers?: number;
  residents?: number;
  /** One fit for every replication (the interval leaves out the fit's own uncertainty). Default false. */
  fixedFit?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface BacktestRow {
  measure: BacktestMeasure;
  unit: string;
  actual: number;
  forecast: { mean: number; sd: number; p5: number; p95: number };
  /** (actual − forecast mean) ÷ forecast sd. */
  z: number;
  /** actual − forecast mean, relative to the forecast mean. */
  error: number;
  /** The actual lies within P5–P95. */
  inside: boolean;
}

export interface BacktestResult {
  calibrationYears: number[];
  heldOutYear: number;
  model: string;
  replications: number;
  seed: number;
  /** Whether each replication refits a bootstrap resample (true) or all run the one fit. */
  refit: boolean;
  rows: BacktestRow[];
  fit: Fit;
  fragmentFile: string;
  notes: string[];
}

const UNITS: Record<BacktestMeasure, string> = { fundOutlay: 'yuan', patients: 'patients', visits: 'visits', admissions: 'admissions', totalCost: 'yuan' };

/** Calibrate on all years but the last, forecast the last, compare. */
export async function backtest(data: ReplayData, o: BacktestOptions): Promise<BacktestResult> {
  const years = data.years;
  if (years.length < 2) {
    throw new FundcastError('ERR_BACKTEST_YEARS', `${data.sources.claims.file}: a back-test needs claims of at least two years (it calibrates on the earlier ones and forecasts the last), but the data covers ${years.join(', ') || 'no year'} only`);
  }
  const last = years[years.length - 1];
  const calibrationYears = years.slice(0, -1);
  const train = dataWithinYears(data, years[0], last - 1);
  const test = dataWithinYears(data, last, last);
  if (train.claims.n === 0) throw new FundcastError('ERR_BACKTEST_YEARS', `${data.sources.claims.file}: no claim in the calibration years ${calibrationYears.join(', ')}`);
  if (test.claims.n === 0) throw new FundcastError('ERR_BACKTEST_YEARS', `${data.sources.claims.file}: no claim in the held-out year ${last}`);

  // Calibrate on the earlier years; run the fragment over them and the held-out year.
  const fit = calibrate(train, { base: o.base, baseRef: o.baseRef, residents: o.residents, name: 'backtest-calibrated' });
  fit.fragment.horizon = { startYear: years[0], years: years.length };
  mkdirSync(o.dir, { recursive: true });
  const fragmentFile = join(o.dir, 'params.yaml');
  writeFragment(fit, fragmentFile, o.baseRef, o.base);
  const loaded = loadScenario(fragmentFile);
  const seed = o.seed ?? loaded.scenario.seed;
  const forecast = o.fixedFit ? await fixedForecast(loaded, last, o, seed) : await refitForecast(train, last, years, o, seed);

  // What happened: the held-out claims replayed under the template's rules.
  const actual = runReplay(test, o.base, { residents: o.residents });
  const a = actual.run.summary;
  const model = forecast.model;
  const am = a.models.find((m) => m.name === model) ?? a.models[0];
  const ay = am.years[a.years.indexOf(last)];
  if (!ay) throw new FundcastError('ERR_BACKTEST_YEARS', `the held-out year ${last} is missing from the replay (a bug in fundcast backtest, please report it)`);
  const rows: BacktestRow[] = BACKTEST_MEASURES.map((m) => {
    const act = ay[m].mean;
    const fc = forecast.byMeasure[m];
    return {
      measure: m,
      unit: UNITS[m],
      actual: act,
      forecast: { mean: fc.mean, sd: fc.sd, p5: fc.p5, p95: fc.p95 },
      z: fc.sd > 0 ? (act - fc.mean) / fc.sd : 0,
      error: fc.mean !== 0 ? (act - fc.mean) / fc.mean : 0,
      inside: act >= fc.p5 && act <= fc.p95,
    };
  });
  const notes = [...fit.notes.map((n) => `calibration: ${n}`), ...actual.notes.map((n) => `held-out replay: ${n}`)];
  return { calibrationYears, heldOutYear: last, model, replications: o.replications, seed, refit: !o.fixedFit, rows, fit, fragmentFile, notes };
}

interface Forecast {
  model: string;
  byMeasure: Record<BacktestMeasure, Description>;
}

/** The held-out year's measures of a run's summary, first payment model. */
function heldOut(summary: Awaited<ReturnType<typeof runScenario>>['summary'], last: number) {
  const y = summary.models[0].years[summary.years.indexOf(last)];
  if (!y) throw new FundcastError('ERR_BACKTEST_YEARS', `the held-out year ${last} is missing from the forecast (a bug in fundcast backtest, please report it)`);
  return y;
}

/** Every replication from the one fit. */
async function fixedForecast(loaded: LoadedScenario, last: number, o: BacktestOptions, seed: number): Promise<Forecast> {
  const sim = await runScenario(loaded, { replications: o.replications, seed, workers: o.workers ?? 1, onProgress: o.onProgress });
  const y = heldOut(sim.summary, last);
  return { model: sim.summary.models[0].name, byMeasure: Object.fromEntries(BACKTEST_MEASURES.map((m) => [m, y[m]])) as Record<BacktestMeasure, Description> };
}

/**
 * Replication r: the calibration years' patients resampled with replacement (bootstrap stream r of
 * the seed), fitted, and one replication of that fit (seed + r) — the forecast's spread holds the
 * fit's uncertainty and one year's chance.
 */
async function refitForecast(train: ReplayData, last: number, years: number[], o: BacktestOptions, seed: number): Promise<Forecast> {
  const e = train.enrollment;
  const active: number[] = [];
  for (let p = 0; p < e.n; p++) if (registeredMonths(e.from[p], e.to[p], years[0], last - 1).some((m) => m > 0)) active.push(p);
  const activeIdx = Int32Array.from(active);
  const ref = baseReference(o.baseRef, o.base);
  const values = Object.fromEntries(BACKTEST_MEASURES.map((m) => [m, [] as number[]])) as Record<BacktestMeasure, number[]>;
  let model = '';
  for (let r = 0; r < o.replications; r++) {
    const w = bootstrapWeights(seed, r, activeIdx, e.n);
    const fit = calibrate(resampleData(train, w), { base: o.base, baseRef: o.baseRef, residents: o.residents, name: 'backtest-resample' });
    fit.fragment.horizon = { startYear: years[0], years: years.length };
    const loaded = parseScenarioText(fragmentYaml(fit, ref), join(o.dir, `params-resample-${r}.yaml`));
    const sim = await runScenario(loaded, { replications: 1, seed: seed + r, workers: 1 });
    model = sim.summary.models[0].name;
    const y = heldOut(sim.summary, last);
    for (const m of BACKTEST_MEASURES) values[m].push(y[m].mean);
    o.onProgress?.(r + 1, o.replications);
  }
  return { model, byMeasure: Object.fromEntries(BACKTEST_MEASURES.map((m) => [m, describe(values[m])])) as Record<BacktestMeasure, Description> };
}

/** backtest.csv: one row per measure. */
export function backtestCsv(r: BacktestResult): string {
  const head = 'measure,unit,held_out_year,actual,forecast_mean,forecast_sd,forecast_p5,forecast_p95,z,relative_error,inside_p5_p95\n';
  return head + r.rows.map((x) => [x.measure, x.unit, r.heldOutYear, x.actual, x.forecast.mean, x.forecast.sd, x.forecast.p5, x.forecast.p95, x.z, x.error, x.inside].map((v) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v)).join(',')).join('\n') + '\n';
}

/** backtest.json: the comparison, the fit's parameters and the notes. */
export function backtestJson(r: BacktestResult): string {
  const { fit, ...rest } = r;
  return JSON.stringify({ ...rest, calibration: { facts: fit.facts, params: fit.params } }, null, 2) + '\n';
}

/** Write backtest.json and backtest.csv to `dir` (the fragment, params.yaml, is there already). */
export function writeBacktest(dir: string, r: BacktestResult): string[] {
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, 'backtest.json'), join(dir, 'backtest.csv')];
  writeFileAtomic(files[0], backtestJson(r));
  writeFileAtomic(files[1], backtestCsv(r));
  return files;
}
