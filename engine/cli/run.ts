import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import {
  loadScenario,
  DEFAULT_SCENARIO,
  runScenario,
  writeResults,
  withOutputSet,
  type OutputSet,
  runSensitivity,
  runMonteCarloOnly,
  Errors,
  writeWorkbook,
  createQueueRunner,
  DEFAULT_MAX_REPLICATIONS,
  formatTarget,
  parsePrecision,
  type PrecisionReport,
} from '../index.ts';
import { intFlag, numFlag, parse } from './args.ts';
import { progressBar } from './progress.ts';
import { csvEncodingFlag, langFlag, reportTo } from './report.ts';
import { summaryTables } from './table.ts';
import { headline } from './headline.ts';
import { shardCommand } from './shard.ts';

/** With --queue and no --workers: the tasks are sized for this many threads across the workers (any number gives the same results). */
const QUEUE_PLANNING_WORKERS = 16;

export const runHelp = `fundcast run [SCENARIO] [options]

Simulate a scenario: synthesize the region's chronic patients, simulate their care month by month,
adjudicate every claim, pay providers under each payment model, roll the fund ledger, and summarise
across Monte Carlo replications.

SCENARIO  a scenario file (.yaml, .yml, .json) or the name of an embedded scenario
          (default: ${DEFAULT_SCENARIO}, a synthetic Wuhu-sized region; no input files needed)

Options (each overrides the scenario's own value):
  --replications N   Monte Carlo replications (scenario: replications)
  --years Y          years simulated from the scenario's start year, 1–30 (scenario: horizon.years)
  --seed S           random seed, a whole number ≥ 0 (scenario: seed); same seed → same results
  --workers K        worker threads (default: the cores available here; 1 = run in this thread).
                     Results are identical for any K.
  --out DIR          where to write results (default: out/<scenario name>/)
  --until-se X       keep doubling the replications until the standard error of the first model's
                     mean horizon fund outlay is below X yuan (reproducible: same seed → same stop)
  --precision T      add replications in batches until every targeted metric's 95% half-width meets
                     T: X% (each model's mean horizon outlay and its paired difference from the
                     first model, relative to the mean outlay), ruin=Xpp (each model's P(ruin),
                     absolute), or both: --precision 0.5%,ruin=2pp. Batch ends are a fixed schedule
                     (×1.25) and the decision falls only between batches: same seed → same stop for
                     any --workers. summary.json → precision has the achieved half-widths
  --max-replications N  cap for --until-se and --precision (default ${DEFAULT_MAX_REPLICATIONS.toLocaleString('en-US')}); a
                     --precision run that reaches it reports the targets not met
  --checkpoint       save each completed replication to DIR/.checkpoint.jsonl as it finishes
  --resume           continue an interrupted --checkpoint run: completed replications are read back,
                     the rest are run; the results are identical to an uninterrupted run
  --max-memory GIB   memory the run may use (default: measured); a run estimated to need more is refused
  --max-hours H      longest run allowed here (default 24); a run estimated to take longer (a lower
                     bound, from the residents, years, replications and workers) is refused
  --no-sensitivity   skip the scenario's one-way sensitivity analysis (its \`sensitivity\` section)
  --shard K/N        run only shard K of N (1 ≤ K ≤ N) and write DIR/shard-K-of-N.jsonl; on N machines
                     (a Kubernetes Indexed Job, a Slurm array), then \`fundcast merge\` the N files into
                     the results one run writes (byte-identical). See docs/distributed.md
  --queue URL        run the tasks on \`fundcast worker\` processes through a Redis queue
                     (redis://HOST:PORT[/DB]); results identical to a run here; --workers then sizes
                     the tasks for that many threads across the workers (default 16). See
                     docs/distributed.md
  --by-facility      also write facility-results.csv: each facility's fund payment per model × year
  --report           also write report.html and charts/ (as \`fundcast report DIR\` does)
  --xlsx             also write results.xlsx: headline, fund ledger, models compared, settlement,
                     parameters with sources (as \`fundcast report DIR --xlsx\` does)
  --lang zh|en       language of the report and the workbook (default: zh)
  --csv-encoding E   encoding of the CSV files: utf-8 (default) or gbk (Excel on Chinese Windows)
  --scale X          region.scale: multiply residents, facilities' panels and the region's money
                     (opening balance in yuan, fixed budgets) by X, e.g. 0.5 for half the region
  --detail           print the full tables (costs, facility tiers, settlement, VaR/TVaR, paired
                     differences by year) after the one-screen summary
  --quiet            print no summary table or progress
  -h, --help         this help

Prints one screen: when the fund runs out (the first year in which P(balance < 0) ≥ 50%, per
payment model), the fund ledger, the models compared, and notes; --detail adds the full tables.
Terms: docs/glossary.md.

Writes to DIR: summary.json (the headline in risk.runOut; per model × year: mean, sd, p5, p25, p50,
p75, p95 of fund outlay, patient out-of-pocket and total cost, per facility tier, and the ledger;
openingBalance and warnings), replications.csv (one row per replication × year × model),
facilities.csv, scenario.json (the scenario as run) and run.json (scenario hash, seed, version,
replications, workers, wall time). Amounts are in yuan.
`;

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    replications: { type: 'string' },
    years: { type: 'string' },
    seed: { type: 'string' },
    scale: { type: 'string' },
    detail: { type: 'boolean' },
    workers: { type: 'string' },
    out: { type: 'string' },
    quiet: { type: 'boolean' },
    'by-facility': { type: 'boolean' },
    report: { type: 'boolean' },
    xlsx: { type: 'boolean' },
    'csv-encoding': { type: 'string' },
    lang: { type: 'string' },
    'until-se': { type: 'string' },
    precision: { type: 'string' },
    'max-replications': { type: 'string' },
    'no-sensitivity': { type: 'boolean' },
    checkpoint: { type: 'boolean' },
    resume: { type: 'boolean' },
    'max-memory': { type: 'string' },
    'max-hours': { type: 'string' },
    shard: { type: 'string' },
    queue: { type: 'string' },
  }, 1);
  if (values.help) {
    process.stdout.write(runHelp);
    return 0;
  }
  const opts = {
    replications: intFlag(values, 'replications', 1, 1_000_000),
    years: intFlag(values, 'years', 1, 30),
    seed: intFlag(values, 'seed', 0, Number.MAX_SAFE_INTEGER),
    scale: numFlag(values, 'scale'),
    workers: intFlag(values, 'workers', 1, 256) ?? availableParallelism(),
  };
  const reportLang = langFlag(values); // checked before the simulation, not after it
  const csvEncoding = csvEncodingFlag(values);
  const loaded = loadScenario(positionals[0] ?? DEFAULT_SCENARIO);
  const quiet = values.quiet === true;
  const untilSE = numFlag(values, 'until-se');
  const precision = values.precision === undefined ? undefined : parsePrecision(String(values.precision));
  if (precision && untilSE !== undefined) throw Errors.Usage('--until-se and --precision are two stopping rules: use one (--precision 0.5% is the relative form)');
  const maxReplications = intFlag(values, 'max-replications', 2, 1_000_000);
  const outDir = resolve(String(values.out ?? `out/${loaded.scenario.name}`));
  const checkpoint = values.checkpoint === true || values.resume === true ? { file: join(outDir, '.checkpoint.jsonl'), resume: values.resume === true } : undefined;
  const maxMemory = numFlag(values, 'max-memory');
  const maxHours = numFlag(values, 'max-hours');
  if (values.shard !== undefined) {
    if (values.queue !== undefined) throw Errors.Usage('--shard and --queue are two ways to spread a run: use one');
    const mergeOnly = (['report', 'by-facility', 'lang'] as const).filter((k) => values[k] !== undefined);
    if (untilSE !== undefined) throw Errors.Usage('--shard cannot be combined with --until-se: the stopping point depends on every replication (run it on one machine, or with --queue)');
    if (precision !== undefined) throw Errors.Usage('--shard cannot be combined with --precision: the stopping point depends on every replication (run it on one machine, or with --queue)');
    if (checkpoint) throw Errors.Usage('--shard cannot be combined with --checkpoint or --resume: a shard is re-run whole (make shards smaller instead)');
    return shardCommand(loaded, { ...opts, maxMemoryBytes: maxMemory === undefined ? undefined : maxMemory * 1024 ** 3 }, { shard: String(values.shard), outDir, quiet, sensitivity: values['no-sensitivity'] !== true, mergeOnly: [...mergeOnly] });
  }
  // The output folder is checked (writable, room for the results) before anything is simulated.
  return withOutputSet(outDir, { estimateBytes: outputEstimate(loaded.scenario, opts, values['by-facility'] === true) }, runInto);

  async function runInto(set: OutputSet): Promise<number> {
  // Queue mode: the tasks go to `fundcast worker` processes through Redis; everything else as here.
  // (loaded only then: importing BullMQ takes about a second)
  const queue = values.queue === undefined ? undefined : await createQueueRunner(String(values.queue), { onWarning: (m) => process.stderr.write(`fundcast run: warning: ${m}\n`) });
  if (queue && values.workers === undefined) opts.workers = QUEUE_PLANNING_WORKERS;
  // Ctrl-C / SIGTERM: stop the workers, write nothing (outputs are only ever written whole, at the end).
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let result;
  try {
    result = await runScenario(loaded, {
      ...opts,
      untilSE,
      precision,
      maxReplications,
      signal: abort.signal,
      checkpoint,
      runner: queue,
      maxMemoryBytes: maxMemory === undefined ? undefined : maxMemory * 1024 ** 3,
      maxHours,
      onEstimate: (sec) => {
        if (!quiet && sec >= 60) process.stderr.write(`fundcast run: this run takes at least about ${sec >= 7200 ? `${(sec / 3600).toFixed(1)} hours` : `${Math.round(sec / 60)} minutes`} on ${opts.workers} worker${opts.workers > 1 ? 's' : ''} (Ctrl-C stops it)\n`);
      },
      onRestored: (n) => {
        if (!quiet) process.stderr.write(`fundcast run: resuming: ${n} replication${n === 1 ? '' : 's'} restored from ${checkpoint!.file.replace(process.cwd() + '/', '')}\n`);
      },
      onRetry: (what) => process.stderr.write(`fundcast run: warning: ${what}\n`),
      onProgress: quiet ? undefined : progressBar(queue ? `simulating replications on ${queue.shown}` : 'simulating replications'),
    });
    if (result.scenario.uncertainty.length) {
      const bar = quiet ? undefined : progressBar('Monte Carlo only');
      bar?.(0, 1);
      result.summary.monteCarloOnly = await runMonteCarloOnly(result.scenario, runScenario, { ...opts, runner: queue, signal: abort.signal });
      bar?.(1, 1);
    }
    if (result.scenario.sensitivity && values['no-sensitivity'] !== true) {
      const bar = quiet ? undefined : progressBar('sensitivity runs');
      result.summary.sensitivity = await runSensitivity(result.scenario, result.replications, runScenario, { ...opts, runner: queue, signal: abort.signal, replications: result.scenario.sensitivity.replications }, bar && ((d, t) => bar(d, t)));
    }
  } catch (e) {
    if (abort.signal.aborted && checkpoint) process.stderr.write(`fundcast run: completed replications are saved in ${checkpoint.file}; continue with --resume\n`);
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await queue?.close();
  }
  // Every file into the set's temporary folder, then the set swapped in whole (the spent checkpoint
  // goes with the old folder).
  const dir = set.staging;
  const written = writeResults(dir, result, { scenarioFiles: loaded.files, byFacility: values['by-facility'] === true, csvEncoding, runInfo: queue ? { queue: queue.shown } : undefined });
  if (values.report === true) written.push((await reportTo(dir, reportLang, true)).at(-1)!); // report.html (charts/ beside it)
  if (values.xlsx === true) written.push(await writeWorkbook(dir, reportLang));
  const files = set.commit(written.map((f) => relative(dir, f)));
  for (const w of set.warnings) process.stderr.write(`fundcast run: warning: ${w}\n`);
  if (quiet) for (const w of result.checks.warnings) process.stderr.write(`fundcast run: warning: ${w.message}\n`);
  if (result.precision && !result.precision.met) process.stderr.write(`fundcast run: warning: precision target not met at the cap of ${result.precision.maxReplications.toLocaleString('en-US')} replications (see summary.json → precision; raise --max-replications)\n`);
  if (!quiet) {
    process.stdout.write('\n' + headline(result.summary, { title: result.scenario.title ?? result.scenario.name, scenario: result.scenario, seed: result.scenario.seed, checks: result.checks }) + '\n');
    if (values.detail === true) process.stdout.write('\n' + summaryTables(result.summary) + '\n');
    if (result.precision) process.stdout.write('\n' + precisionLines(result.precision) + '\n');
    process.stdout.write(`${result.scenario.replications} replications × ${result.summary.years.length} years in ${result.wallSeconds.toFixed(1)} s on ${result.workers} worker${result.workers > 1 ? 's' : ''} (seed ${result.scenario.seed})\n`);
    process.stdout.write(`Results: ${files.map((f) => f.replace(process.cwd() + '/', '')).join(', ')}\n`);
  }
  return 0;
  }
}

/** Rough size of a run's files (summary.json and scenario.json ~100 KB; replications.csv about 1 KB per replication × year × model). */
function outputEstimate(s: { replications: number; horizon: { years: number }; paymentModels: unknown[] }, o: { replications?: number; years?: number }, byFacility: boolean): number {
  const rows = (o.replications ?? s.replications) * (o.years ?? s.horizon.years) * Math.max(1, s.paymentModels.length);
  return 128 * 1024 + rows * 1024 + (byFacility ? rows * 64 : 0);
}

/** The achieved 95% half-widths against the targets, one line per metric. */
export function precisionLines(p: PrecisionReport): string {
  const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(x < 0.001 ? 4 : 3)}`);
  const wan = (yuan: number) => (Number.isFinite(yuan) ? `${(yuan / 1e4).toLocaleString('en-US', { maximumFractionDigits: 1 })} 万元` : '—');
  const head = `Precision (${formatTarget(p.target)}, 95%): ${p.met ? 'met' : 'NOT met'} after ${p.replications.toLocaleString('en-US')} replications (checked at ${p.checkedAt.join(', ')}; cap ${p.maxReplications.toLocaleString('en-US')})`;
  const rows = p.metrics.map((m) => {
    const what = m.metric === 'outlay' ? `mean horizon outlay, ${m.model}` : m.metric === 'difference' ? `${m.model} − first model, horizon outlay` : `P(ruin), ${m.model}`;
    const got = m.metric === 'ruin' ? `${pct(m.estimate)}% ± ${pct(m.achieved)}pp (target ±${pct(m.target)}pp)` : `${wan(m.estimate)} ± ${wan(m.halfWidth)} = ±${pct(m.achieved)}% (target ±${pct(m.target)}%)`;
    return `  ${m.met ? 'met    ' : 'not met'}  ${what}: ${got}${m.method === 'control variates' ? ' (parameter draws as control variates)' : ''}`;
  });
  return [head, ...rows].join('\n');
}
