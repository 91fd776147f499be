/**
 * `fundcast backtest`: calibrate on the earlier years of recorded claims, forecast the held-out last
 * year, and set the forecast against what happened (engine/backtest/). See docs/replay.md.
 */
import { resolve } from 'node:path';
import {
  Errors,
  backtest,
  checkRejectRates,
  DEFAULT_SCENARIO,
  loadReplayData,
  loadScenario,
  writeBacktest,
  writeRejects,
  type BacktestResult,
} from '../index.ts';
import { intFlag, parse } from './args.ts';
import { progressBar } from './progress.ts';
import { DATA_FLAGS, dataFiles, parsePeriod, rejectRateFlag } from './replay.ts';

export const backtestHelp = `fundcast backtest --enrollment FILE --claims FILE [options]

Back-test a forecast on recorded data: calibrate the synthesis parameters on every year of the
claims but the last (as \`fundcast calibrate\`), run the calibrated scenario over those years and the
held-out last year (the cohort ages, dies, leaves and registers as the base scenario says; costs follow
its trends), and print the held-out year's actual fund outlay, patients, visits, admissions and total
cost against the forecast's mean and 90% interval (P5–P95 over replications). Each replication fits
its own bootstrap resample of the calibration years' patients, so the interval holds the fit's
uncertainty as well as one year's chance. The actual figures are the held-out claims replayed under
the base scenario's rules (as \`fundcast replay\`).

  --enrollment FILE      registered persons (with registration dates, birth year or age)
  --claims FILE          claims of at least two calendar years
  --scenario S           base scenario: the template the calibration extends and the rules the
                         held-out year is replayed under (default: ${DEFAULT_SCENARIO})
  --replications N       replications of the forecast, each a refit (default 40)
  --fixed-fit            run every replication from the one fit (faster; the interval then leaves
                         out the fit's own uncertainty)
  --seed S               seed of the forecast (default: the base scenario's)
  --workers N            worker threads of a --fixed-fit forecast (default 1; results do not depend on it)
  --period Y-Y           calendar years used; the last is held out (default: the years the claims span)
  --residents N          residents of the region the data covers (see \`fundcast calibrate --help\`)
  --facilities FILE      optional facility register
  --default-tier T       tier of a facility no row or register states
  --mapping FILE         YAML/JSON header mapping
  --encoding ENC         encoding of CSV inputs (default: detected)
  --max-reject-rate X    fail (exit 2) above this share of rejected rows (default 0.01)
  --out DIR              where to write (default: out/backtest/)
  --quiet                print only the comparison
  -h, --help             this help

Writes to DIR: backtest.csv (per measure: actual, forecast mean, sd, P5, P95, z, relative error,
inside the interval), backtest.json (the same, the calibration's parameters with their standard
errors, notes), params.yaml (the calibrated fragment, horizon through the held-out year) and the
rejects files. Exit 0 whatever the comparison shows; 2 for bad input or fewer than two years.
`;

const LABELS: Record<string, string> = { fundOutlay: 'fund outlay (yuan)', patients: 'patients', visits: 'visits', admissions: 'admissions', totalCost: 'total cost (yuan)' };

/** The comparison as a table. */
export function backtestTable(r: BacktestResult): string {
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  const head = ['', `actual ${r.heldOutYear}`, 'forecast', '90% interval (P5–P95)', 'z', 'error', ''];
  const rows = r.rows.map((x) => [LABELS[x.measure], f(x.actual), f(x.forecast.mean), `${f(x.forecast.p5)} – ${f(x.forecast.p95)}`, x.z.toFixed(2), `${x.error >= 0 ? '+' : ''}${(100 * x.error).toFixed(1)}%`, x.inside ? 'inside' : 'OUTSIDE']);
  const all = [head, ...rows];
  const w = head.map((_, k) => Math.max(...all.map((row) => row[k].length)));
  return all.map((row) => row.map((c, k) => (k === 0 ? c.padEnd(w[k]) : c.padStart(w[k]))).join('  ').trimEnd()).join('\n');
}

export async function backtestCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...DATA_FLAGS, out: { type: 'string' }, replications: { type: 'string' }, seed: { type: 'string' }, workers: { type: 'string' }, 'fixed-fit': { type: 'boolean' } }, 0);
  if (values.help) {
    process.stdout.write(backtestHelp);
    return 0;
  }
  if (values.enrollment === undefined || values.claims === undefined) throw Errors.Usage('backtest: give --enrollment FILE and --claims FILE (see --help)');
  const period = parsePeriod(values.period);
  const maxRate = rejectRateFlag(values['max-reject-rate']);
  const replications = intFlag(values, 'replications', 2, 100_000) ?? 40;
  const seed = intFlag(values, 'seed', 0, Number.MAX_SAFE_INTEGER);
  const workers = intFlag(values, 'workers', 1, 256) ?? 1;
  const residents = intFlag(values, 'residents', 1, 2_000_000_000);
  const quiet = values.quiet === true;
  const say = (s: string) => {
    if (!quiet) process.stdout.write(s + '\n');
  };
  const baseRef = String(values.scenario ?? DEFAULT_SCENARIO);
  const base = loadScenario(baseRef);
  const dir = resolve(String(values.out ?? 'out/backtest'));
  const data = await loadReplayData({ ...dataFiles(values), period, conditions: Object.keys(base.scenario.population.prevalence), requireEnrollment: [] });
  if (!data.enrollment.has.age) throw Errors.Usage(`backtest: ${data.sources.enrollment.file} has no birth year or age column (needed for prevalence by age band; see docs/replay.md)`);
  for (const log of Object.values(data.logs)) if (log) say(log.summary());
  const rejectFiles = writeRejects(dir, data);
  checkRejectRates(data, maxRate, dir);
  const fixedFit = values['fixed-fit'] === true;
  const r = await backtest(data, { base, baseRef, dir, replications, seed, workers, residents, fixedFit, onProgress: quiet ? undefined : progressBar(fixedFit ? 'forecast replications' : 'forecast replications (each a refit)') });
  const files = writeBacktest(dir, r);
  const cy = r.calibrationYears;
  process.stdout.write(
    `\nBack-test: calibrated on ${cy.length > 1 ? `${cy[0]}–${cy[cy.length - 1]}` : cy[0]}, forecast ${r.heldOutYear} (${r.model}; ${r.replications} replications${r.refit ? ', each fitted to a bootstrap resample' : ' of one fit'}, seed ${r.seed}); actual = the ${r.heldOutYear} claims replayed under ${base.scenario.name}'s rules\n\n`,
  );
  process.stdout.write(backtestTable(r) + '\n\n');
  const inside = r.rows.filter((x) => x.inside).length;
  say(
    `${inside} of ${r.rows.length} actual figures lie inside the forecast's 90% interval (P5–P95 over replications: ${r.refit ? "the fit's uncertainty and one year's chance" : "one year's chance given the one fit; the fit's own uncertainty is not in it"}). z = (actual − forecast) ÷ the forecast's sd.`,
  );
  for (const n of r.notes) say(`  note: ${n}`);
  const rel = (p: string) => p.replace(process.cwd() + '/', '');
  say(`Wrote ${[...files, r.fragmentFile, ...rejectFiles].map(rel).join(', ')}`);
  return 0;
}
