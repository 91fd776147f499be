// `fundcast backtest` on the shipped three-year demonstration data (scenarios/data/demo-history.yaml):
// calibrate on 2023–2024, forecast 2025, compare with the 2025 claims. The actual figures are the
// held-out claims' own counts and recorded fund paid; the forecast (each replication a fit to a
// bootstrap resample of the calibration years' patients) of data the template generated must hold
// them within 3 standard errors. A one-year extract is refused with a clear error.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtest, loadScenario, type BacktestResult } from '../../engine/index.ts';
import { resampleData } from '../../engine/backtest/resample.ts';
import { dataWithinYears } from '../../engine/backtest/split.ts';
import { calibrate } from '../../engine/replay/calibrate.ts';
import { loadReplayData, type ReplayData } from '../../engine/replay/replay.ts';
import { inProcess, type CliOut } from '../helpers/cli.ts';
import { DEMO, HISTORY, tmp } from './helpers.ts';

const t = tmp('fundcast-backtest-');
afterAll(t.done);
const R = 12;
const base = loadScenario(HISTORY.scenario);
let data: ReplayData;
let r: BacktestResult;
let cli: CliOut;
let fixed: CliOut;
let oneYear: CliOut;
let help: CliOut;

beforeAll(async () => {
  data = await loadReplayData({ enrollment: HISTORY.enrollment, claims: HISTORY.claims, conditions: Object.keys(base.scenario.population.prevalence) });
  r = await backtest(data, { base, baseRef: HISTORY.scenario, dir: join(t.dir, 'engine'), replications: R, seed: 7 });
  cli = await inProcess(['backtest', '--enrollment', HISTORY.enrollment, '--claims', HISTORY.claims, '--scenario', HISTORY.scenario, '--replications', '4', '--out', join(t.dir, 'cli'), '--quiet']);
  fixed = await inProcess(['backtest', '--enrollment', HISTORY.enrollment, '--claims', HISTORY.claims, '--scenario', HISTORY.scenario, '--replications', '4', '--fixed-fit', '--out', join(t.dir, 'fixed'), '--quiet']);
  oneYear = await inProcess(['backtest', '--enrollment', DEMO.enrollment, '--claims', DEMO.claims, '--scenario', DEMO.scenario, '--out', join(t.dir, 'one')]);
  help = await inProcess(['backtest', '--help']);
});

describe('backtest', () => {
  it('calibrates on the earlier years and holds out the last', () => {
    expect(data.years).toEqual([2023, 2024, 2025]);
    expect(r.calibrationYears).toEqual([2023, 2024]);
    expect(r.heldOutYear).toBe(2025);
    expect(r.fit.fragment.title).toMatch(/2023–2024/);
    expect(r.rows.map((x) => x.measure)).toEqual(['fundOutlay', 'patients', 'visits', 'admissions', 'totalCost']);
    expect(r.refit).toBe(true);
  });

  it('a resample with every patient drawn once is the data: the same fit', () => {
    const train = dataWithinYears(data, 2023, 2024);
    expect(train.years).toEqual([2023, 2024]);
    const once = resampleData(train, new Int32Array(train.enrollment.n).fill(1));
    expect(once.claims.n).toBe(train.claims.n);
    const a = calibrate(train, { base, baseRef: HISTORY.scenario }).estimates;
    const b = calibrate(once, { base, baseRef: HISTORY.scenario }).estimates;
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) {
      expect(b[k].value, k).toBeCloseTo(a[k].value, 9);
      expect(b[k].se, k).toBeCloseTo(a[k].se, 9);
    }
    // Drawn twice: the same point estimates (ratios of doubled sums), from twice the patients.
    const twice = calibrate(resampleData(train, new Int32Array(train.enrollment.n).fill(2)), { base, baseRef: HISTORY.scenario }).estimates;
    expect(twice['utilization.refillAdherence'].value).toBeCloseTo(a['utilization.refillAdherence'].value, 9);
    expect(twice['utilization.refillAdherence'].n).toBe(2 * a['utilization.refillAdherence'].n);
  });

  it('the actual figures are the held-out claims: their visits, admissions, cost and recorded fund paid', () => {
    const c = data.claims;
    let visits = 0;
    let admissions = 0;
    let fund = 0;
    let cost = 0;
    for (let i = 0; i < c.n; i++) {
      if (Math.floor(c.ymd[i] / 10000) !== 2025) continue;
      if (c.inpatient[i]) admissions++;
      else visits++;
      fund += c.fund[i];
      cost += c.cost[i];
    }
    const row = (m: string) => r.rows.find((x) => x.measure === m)!;
    // Outpatient visits on site and off-site are both visits in summary.json.
    expect(row('visits').actual).toBe(visits);
    expect(row('admissions').actual).toBe(admissions);
    expect(row('totalCost').actual).toBeCloseTo(cost / 100, 2);
    // The demonstration claims were paid under demo-history's rules: the replay reconciles to 0.
    expect(row('fundOutlay').actual).toBeCloseTo(fund / 100, 2);
  });

  it('the forecast holds the held-out year within 3 standard errors (data the template generated)', () => {
    for (const x of r.rows) {
      // One realization against R replications' mean: SE = sd × √(1 + 1/R).
      const se = x.forecast.sd * Math.sqrt(1 + 1 / R);
      expect(se, x.measure).toBeGreaterThan(0);
      expect(Math.abs(x.actual - x.forecast.mean) / se, `${x.measure}: actual ${x.actual}, forecast ${x.forecast.mean} ± ${x.forecast.sd}`).toBeLessThan(3);
      expect(x.forecast.p5).toBeLessThanOrEqual(x.forecast.mean);
      expect(x.forecast.p95).toBeGreaterThanOrEqual(x.forecast.mean);
    }
  });

  it('the CLI prints actual against forecast with its interval and writes backtest.csv/json and the fragment', () => {
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/Back-test: calibrated on 2023–2024, forecast 2025/);
    for (const label of ['fund outlay \\(yuan\\)', 'patients', 'visits', 'admissions']) expect(cli.stdout).toMatch(new RegExp(`^${label}\\s+[\\d,]+\\s+[\\d,]+\\s+[\\d,]+ – [\\d,]+\\s+-?\\d+\\.\\d\\d`, 'm'));
    const dir = join(t.dir, 'cli');
    const csv = readFileSync(join(dir, 'backtest.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('measure,unit,held_out_year,actual,forecast_mean,forecast_sd,forecast_p5,forecast_p95,z,relative_error,inside_p5_p95');
    expect(csv).toHaveLength(6);
    const json = JSON.parse(readFileSync(join(dir, 'backtest.json'), 'utf8'));
    expect(json.heldOutYear).toBe(2025);
    expect(json.calibration.params.some((l: { status: string; se?: number }) => l.status === 'fitted' && l.se! > 0)).toBe(true);
    expect(existsSync(join(dir, 'params.yaml'))).toBe(true);
    expect(loadScenario(join(dir, 'params.yaml')).scenario.horizon).toEqual({ startYear: 2023, years: 3 });
    expect(cli.stdout).toMatch(/each fitted to a bootstrap resample/);
    // --fixed-fit: every replication from the one fit, said so.
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/4 replications of one fit/);
    expect(JSON.parse(readFileSync(join(t.dir, 'fixed', 'backtest.json'), 'utf8')).refit).toBe(false);
  });

  it('refuses one year of claims with a clear error (exit 2), and has help', () => {
    expect(oneYear.code).toBe(2);
    expect(oneYear.stderr).toMatch(/claims\.csv\.gz: a back-test needs claims of at least two years .* covers 2025 only/);
    expect(oneYear.stderr).not.toMatch(/^\s{4}at /m);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^fundcast backtest --enrollment FILE --claims FILE/);
  });
});
