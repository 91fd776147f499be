/**
 * `npm run bench`: fundcast's performance, measured in one run, side by side (never part of `npm test`).
 *
 *   w        the reference workload W(P, R) (bench/reference/WORKLOAD.md) on fundcast's primitives,
 *            monthly and annual algorithms, 1 and 2 worker threads, against the numpy reference
 *            (1 and 2 processes) in the same run, with an agreement check (PASS/FAIL)
 *   ablation W on one thread with fundcast 0.1's kernel primitives, then each faster primitive added
 *   engine    the full engine on the default region: each payment model alone and all three on common
 *            random numbers, 1 and 2 workers, peak RSS per patient (a child process per configuration)
 *   project  the city-scale target (600,000 patients × 5 years × 200 replications, three models, ≤ 180 s)
 *            projected from the engine measurements
 *   scaling  the worker-scaling curve: W and the full engine (all three models) on 1, 2, 4, 8, 16
 *            workers, up to the cores available, with the city-scale time projected for each count
 *            (in the default set only where more than 2 cores are available)
 *   distributed  one shard of a province-scale run (payment-comparison scaled to a cohort of 8 million
 *            chronic patients; `--shard-reps` replications on 2 workers), its merge, and the time of
 *            a 200-replication province run projected on W machines of 2 cores (only with --only)
 *   precision  time to a decision-grade answer (bench/precision-child.ts): `--precision 0.5%` on the
 *            city-scale payment-comparison (Monte Carlo only, 2 workers) beside the seconds of a fixed
 *            200-replication run at the same per-replication cost; the variance ratio of
 *            P(balance < 0) by the normal approximation against the share of negative balances; and
 *            the control variates' variance ratios on fund-forecast (uncertain parameters)
 *
 * Flags: --only w,ablation,engine,project,scaling   --P 100000 --R 100 --reps 3   --engine-reps 4
 *        --workers 1,2,4   --quick (small sizes, a smoke test)   --no-numpy   --out bench/results.json
 *        --no-write   --merge (keep the parts of the results file this run does not measure)
 * Results: bench/results.json (machine, every measurement with its unit, the ratios).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultWorkerCounts, mergeResults } from './results-file.ts';
import type { PrecisionChildConfig, PrecisionChildResult } from './precision-child.ts';
import { createWRunner } from './w-pool.ts';
import { BASELINE_OPTIONS, W_DEFAULT_SEED, wStats, type BufferedOptions, type WAlgo, type WStats } from './workload-w.ts';
import type { EngineChildConfig, EngineChildResult } from './engine-child.ts';
import type { DistributedChildConfig, DistributedChildResult } from './distributed-child.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';
const NUMPY_REF = resolve(ROOT, 'bench/reference/reference_numpy.py');
/** WORKLOAD.md's expected values for P = 100,000 (yuan). */
const EXPECTED = { meanFund: 82.68e6, sdFund: 0.1e6, meanCost: 189.5e6, P: 100_000 };
/** The exact kernel's floor per patient-year (WORKLOAD.md), ns. */
const FLOOR_NS = 300;
/** The issue's targets. */
const TARGET = { onePerS: 2.5e6, vsNumpyMonthly: 2.5, twoWorkerSpeedup: 1.8, cityPatients: 600_000, cityYears: 5, cityReps: 200, citySeconds: 180 };
/** The default region's cohort (registered chronic patients in its first year; docs/performance.md §5): the city's 600,000 is ×2.12 of it. */
const PAYMENT_COMPARISON_COHORT = 283_326;

// ---------------------------------------------------------------------------------------------
// Flags

interface Flags {
  only: Set<string>;
  P: number;
  R: number;
  reps: number;
  engineReps: number;
  numpy: boolean;
  out: string;
  write: boolean;
  merge: boolean;
  quick: boolean;
  /** Worker counts of the scaling part. */
  workers: number[];
  /** The distributed part: the province's cohort, and the replications of the shard measured. */
  provinceCohort: number;
  shardReps: number;
}

const PARTS = ['w', 'ablation', 'engine', 'project', 'scaling', 'distributed', 'precision'];
/** The province of the distributed part (an assumption, docs/performance.md §5): registered chronic patients. */
const PROVINCE = { cohort: 8_000_000, replications: 200, workerCores: 2, machines: [1, 2, 5, 10, 20, 50, 100, 200, 400] };

function parseFlags(argv: string[]): Flags {
  const cores = os.availableParallelism();
  // The scaling curve adds nothing to the w and engine parts' 1 and 2 workers on a 2-core machine.
  const f: Flags = { provinceCohort: PROVINCE.cohort, shardReps: 2, only: new Set(PARTS.filter((p) => p !== 'distributed' && (cores > 2 || p !== 'scaling'))), P: 100_000, R: 100, reps: 3, engineReps: 4, numpy: true, out: join(ROOT, 'bench/results.json'), write: true, merge: false, quick: false, workers: defaultWorkerCounts(cores) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const int = () => {
      const v = Number(val());
      if (!Number.isInteger(v) || v < 1) throw new Error(`${a} must be a whole number ≥ 1`);
      return v;
    };
    if (a === '--only') f.only = new Set(val().split(','));
    else if (a === '--P') f.P = int();
    else if (a === '--R') f.R = int();
    else if (a === '--reps') f.reps = int();
    else if (a === '--engine-reps') f.engineReps = int();
    else if (a === '--no-numpy') f.numpy = false;
    else if (a === '--out') f.out = resolve(val());
    else if (a === '--no-write') f.write = false;
    else if (a === '--merge') f.merge = true;
    else if (a === '--province-cohort') f.provinceCohort = int();
    else if (a === '--shard-reps') f.shardReps = int();
    else if (a === '--workers') {
      const v = val();
      const ws = v.split(',').map(Number);
      if (ws.some((w) => !Number.isInteger(w) || w < 1 || w > 256)) throw new Error(`--workers: worker counts are whole numbers from 1 to 256, comma-separated; got ${v}`);
      f.workers = [...new Set(ws)].sort((x, y) => x - y);
    }
    else if (a === '--quick') {
      f.quick = true;
      f.P = 20_000;
      f.R = 20;
      f.reps = 1;
      f.engineReps = 2;
      f.provinceCohort = 300_000;
      f.shardReps = 1;
    } else if (a === '--help' || a === '-h') {
      console.log(HELP);
      process.exit(0);
    } else throw new Error(`unknown flag ${a} (try --help)`);
  }
  for (const o of f.only) if (!PARTS.includes(o)) throw new Error(`--only: unknown part ${o} (${PARTS.join(', ')})`);
  return f;
}

const HELP = `npm run bench [-- FLAGS]
  --only PARTS      comma-separated: w, ablation, engine, project, scaling, distributed, precision (default: all
                    but distributed; scaling only where more than 2 cores are available)
  --P N --R N       W's patients and replications (default 100000, 100)
  --reps N          timed repetitions per W measurement, the median reported (default 3)
  --engine-reps N   replications per timed full-engine run (default 4; a 1-replication warm-up run precedes it)
  --workers LIST    worker counts of the scaling part (default 1,2,4,8,16 up to the cores available)
  --province-cohort N  the distributed part's province: registered chronic patients (default 8000000)
  --shard-reps N    replications in the distributed part's measured shard (default 2)
  --no-numpy        skip the numpy reference
  --quick           small sizes (P=20000, R=20, 1 repetition): a smoke test, not a measurement
  --out FILE        results file (default bench/results.json); --no-write to write none
  --merge           keep the parts of the results file that this run does not measure (e.g. add a
                    scaling curve taken on a larger machine: --only scaling --merge)`;

// ---------------------------------------------------------------------------------------------
// Helpers

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1];
};
const fmtM = (x: number) => (x / 1e6).toFixed(2) + 'M';
const fmtX = (x: number) => (Number.isFinite(x) ? x.toFixed(2) + '×' : 'n/a');
const log = (s = '') => process.stdout.write(s + '\n');

function table(rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map(String));
  const w = cells[0].map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  return cells.map((r, i) => r.map((c, j) => (j === 0 ? c.padEnd(w[j]) : c.padStart(w[j]))).join('  ') + (i === 0 ? '\n' + w.map((n) => '-'.repeat(n)).join('  ') : '')).join('\n');
}

function loadNow(): number[] {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}

// ---------------------------------------------------------------------------------------------
// W on fundcast

interface WMeasurement {
  impl: string;
  algo: WAlgo;
  workers: number;
  P: number;
  R: number;
  /** Seconds per timed repetition. */
  times_s: number[];
  median_s: number;
  patientYearsPerS: number;
  nsPerPatientYear: number;
  /** Process CPU seconds (all threads) per repetition, and patient-years per CPU second: less sensitive to other load. */
  cpu_s: number[];
  patientYearsPerCpuS: number;
  poolStartup_s: number;
  stats: WStats;
  rowsHash: string;
}

function hashRows(rows: Float64Array): string {
  // FNV-1a over the fen values: equal hashes ⇔ (practically) identical outputs.
  let h = 0x811c9dc5;
  for (const x of rows) {
    const s = x.toString();
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

async function measureW(P: number, R: number, algo: WAlgo, workers: number, reps: number, kernel: 'fast' | 'buffered' = 'fast', options?: BufferedOptions): Promise<WMeasurement> {
  const t0 = performance.now();
  const runner = await createWRunner(workers);
  const startup = (performance.now() - t0) / 1000;
  try {
    const o = { kernel, options };
    let rows = await runner.run(P, R, algo, W_DEFAULT_SEED, o); // warm-up
    const times: number[] = [];
    const cpus: number[] = [];
    for (let k = 0; k < reps; k++) {
      const c0 = process.cpuUsage();
      const t = performance.now();
      rows = await runner.run(P, R, algo, W_DEFAULT_SEED, o);
      times.push((performance.now() - t) / 1000);
      const c = process.cpuUsage(c0);
      cpus.push((c.user + c.system) / 1e6);
    }
    const med = median(times);
    return {
      impl: kernel === 'fast' ? 'fundcast-fast' : `fundcast-buffered(${options ? `${options.poisson},${options.normals},${options.exp}` : 'engine'})`,
      algo,
      workers,
      P,
      R,
      times_s: times,
      median_s: med,
      patientYearsPerS: (P * R) / med,
      nsPerPatientYear: (med * 1e9) / (P * R),
      cpu_s: cpus,
      patientYearsPerCpuS: (P * R) / median(cpus),
      poolStartup_s: startup,
      stats: wStats(rows),
      rowsHash: hashRows(rows),
    };
  } finally {
    await runner.close();
  }
}

// ---------------------------------------------------------------------------------------------
// numpy

interface NumpyResult {
  impl: string;
  threads: number;
  P: number;
  R: number;
  startup_s: number;
  times: number[];
  median_s: number;
  patient_years_per_s: number;
  meanFund: number;
  sdFund: number;
  meanCost: number;
  q50: number;
  q95: number;
  q995: number;
  first_rows: number[];
}

async function numpyAvailable(): Promise<string | null> {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  if (!existsSync(NUMPY_REF)) return `${NUMPY_REF} not found`;
  return new Promise((res) => {
    execFile(PYTHON, ['-c', 'import numpy; print(numpy.__version__)'], (err, stdout) => res(err ? `numpy not importable by ${PYTHON} (apt-get install -y python3-numpy)` : (stdout.trim() ? null : 'numpy version unknown')));
  });
}

function runNumpy(algo: WAlgo, P: number, R: number, reps: number, nproc: number): Promise<NumpyResult> {
  return new Promise((res, rej) => {
    const p = spawn(PYTHON, [NUMPY_REF, algo, String(P), String(R), String(reps), String(nproc)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      if (code !== 0) return rej(new Error(`numpy reference exited ${code}: ${err.slice(-500)}`));
      try {
        res(JSON.parse(out.trim().split('\n').pop()!) as NumpyResult);
      } catch (e) {
        rej(new Error(`numpy reference printed no JSON: ${out.slice(-300)} ${err.slice(-300)}`));
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Agreement

interface Agreement {
  algo: WAlgo;
  quantity: 'meanFund' | 'meanCost';
  fundcast: number;
  numpy: number | null;
  difference: number | null;
  /** Standard error of the difference of the two means (yuan). */
  seDifference: number | null;
  z: number | null;
  /** Against WORKLOAD.md's value scaled to P, in standard errors of fundcast's mean. */
  expected: number;
  zExpected: number;
  pass: boolean;
}

function agreement(algo: WAlgo, f: WStats, n: NumpyResult | null, P: number): Agreement[] {
  const scale = P / EXPECTED.P;
  const out: Agreement[] = [];
  for (const q of ['meanFund', 'meanCost'] as const) {
    const fv = f[q];
    // sd across replications: fundcast's own (numpy prints sdFund, not the cost's sd; the model is the same)
    const sdF = q === 'meanFund' ? f.sdFund : f.sdCost;
    const sdN = n ? (q === 'meanFund' ? n.sdFund : f.sdCost) : NaN;
    const se = n ? Math.sqrt((sdF * sdF) / f.R + (sdN * sdN) / n.R) : null;
    const diff = n ? fv - n[q] : null;
    const z = n && se ? diff! / se : null;
    const expected = (q === 'meanFund' ? EXPECTED.meanFund : EXPECTED.meanCost) * scale;
    // WORKLOAD.md rounds its values (0.01M fund, 0.1M cost): count that rounding as part of the error.
    const rounding = (q === 'meanFund' ? 0.005e6 : 0.05e6) * scale;
    const zExp = (fv - expected) / Math.sqrt((sdF * sdF) / f.R + rounding * rounding);
    const pass = z !== null ? Math.abs(z) <= 4 : Math.abs(zExp) <= 4;
    out.push({ algo, quantity: q, fundcast: fv, numpy: n ? n[q] : null, difference: diff, seDifference: se, z, expected, zExpected: zExp, pass });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Full engine

interface EngineConfigResult extends EngineChildResult {
  /** Horizon patient-years per second of the timed run (end to end: includes compile and pool start). */
  horizonPatientYearsPerS: number;
  /** Horizon + history patient-years per second (end to end). */
  simulatedPatientYearsPerS: number;
  /** Marginal rates: (timed − warm-up) patient-years / (timed − warm-up) seconds; fixed costs excluded. */
  marginalHorizonPatientYearsPerS: number;
  marginalSimulatedPatientYearsPerS: number;
  /** Seconds of fixed cost per run (timed wall − replications ÷ marginal rate). */
  fixedSeconds: number;
  rssBytesPerPatient: number;
  rssAboveBaselineBytesPerPatient: number;
  wall_s: number;
}

function runEngineChild(cfg: EngineChildConfig): Promise<EngineChildResult & { wall_s: number }> {
  return runChild<EngineChildResult>('bench/engine-child.ts', cfg);
}

/** A bench child process (`node --import tsx SCRIPT '<json config>'`): its last line of JSON, and its wall time. */
function runChild<T>(script: string, cfg: object): Promise<T & { wall_s: number }> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), JSON.stringify(cfg)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      if (code !== 0) return rej(new Error(`${script} ${JSON.stringify(cfg)} exited ${code}: ${err.slice(-800)}`));
      try {
        res({ ...(JSON.parse(out.trim().split('\n').pop()!) as T), wall_s: (performance.now() - t0) / 1000 });
      } catch {
        rej(new Error(`${script} printed no JSON: ${out.slice(-300)} ${err.slice(-300)}`));
      }
    });
  });
}

/** Least-squares slope of y on x. */
function leastSquaresSlope(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/**
 * Simulated patient-years of the city-scale target (600,000 patients × 5 years × 200 replications),
 * from an engine measurement: its patient-years per replication scaled to the city's cohort; horizon
 * patient-years scale with the horizon's length, history years do not.
 */
function cityPatientYears(e: EngineConfigResult): number {
  const t = e.timed!;
  const cityPerRep = (((t.horizonPatientYears * TARGET.cityYears) / e.horizonYears + t.historyPatientYears) / t.replications) * (TARGET.cityPatients / e.cohort);
  return cityPerRep * TARGET.cityReps;
}

function engineDerived(r: EngineChildResult & { wall_s: number }, baselineRss: number): EngineConfigResult {
  const t = r.timed!;
  const w = r.warm!;
  const sim = (c: typeof t) => c.horizonPatientYears + c.historyPatientYears;
  const dt = t.wallSeconds - w.wallSeconds;
  const marginalH = dt > 0 ? (t.horizonPatientYears - w.horizonPatientYears) / dt : NaN;
  const marginalS = dt > 0 ? (sim(t) - sim(w)) / dt : NaN;
  const fixed = Number.isFinite(marginalS) ? t.wallSeconds - sim(t) / marginalS : NaN;
  return {
    ...r,
    horizonPatientYearsPerS: t.horizonPatientYears / t.wallSeconds,
    simulatedPatientYearsPerS: sim(t) / t.wallSeconds,
    marginalHorizonPatientYearsPerS: marginalH,
    marginalSimulatedPatientYearsPerS: marginalS,
    fixedSeconds: fixed,
    rssBytesPerPatient: r.maxRssBytes / r.cohort,
    rssAboveBaselineBytesPerPatient: (r.maxRssBytes - baselineRss) / r.cohort,
  };
}

/**
 * The province run on W machines of 2 cores, from one measured shard: each machine pays the start-up
 * and the compile once, then its share of the replications (⌈R ÷ W⌉ whole replications while W ≤ R;
 * R ÷ W of one — block ranges — beyond that); then one merge of all R (start-up, compile, R × the
 * measured merge time per replication, including writing the results). The seconds per replication
 * are the shard's time less its compile, divided by its replications: they include the pool's start
 * and its threads' compile, so they overstate the marginal cost of a larger shard slightly.
 */
function distributedProjection(d: DistributedChildResult & { wall_s: number }) {
  const reps = d.config.replications;
  const secondsPerReplication = (d.shardSeconds - d.compileSeconds) / reps;
  const fixed = d.startupSeconds + d.compileSeconds;
  const mergeSecondsPerReplication = (Math.max(0, d.mergeSeconds - d.compileSeconds) + d.writeResultsSeconds) / reps;
  const R = PROVINCE.replications;
  const mergeSeconds = fixed + R * mergeSecondsPerReplication;
  // The same from CPU time (the shard's CPU seconds ÷ its cores): what the wall time would be with
  // the cores to itself; the wall-clock figures include whatever else this shared machine was doing.
  const cpuSecondsPerReplication = (d.shardCpuSeconds - d.compileSeconds) / reps / PROVINCE.workerCores;
  const machines = PROVINCE.machines.map((W) => {
    const share = W <= R ? Math.ceil(R / W) : R / W;
    const shardSeconds = fixed + share * secondsPerReplication;
    const shardSecondsFromCpu = fixed + share * cpuSecondsPerReplication;
    return { machines: W, cores: W * PROVINCE.workerCores, shardSeconds, mergeSeconds, totalSeconds: shardSeconds + mergeSeconds, totalSecondsFromCpu: shardSecondsFromCpu + mergeSeconds };
  });
  return {
    about: `One shard of a province-scale run measured (payment-comparison: FFS, capitation and points on common random numbers; every county's residents scaled so that the cohort is ${d.config.cohortTarget} registered chronic patients — an assumption, docs/performance.md §5), then the time of ${R} replications projected on W machines of ${PROVINCE.workerCores} cores each (fundcast run --shard K/W, then fundcast merge). Seconds per replication include the shard's pool start; the merge is projected linearly in replications.`,
    measured: d,
    replications: R,
    secondsPerReplication,
    cpuSecondsPerReplication,
    fixedSecondsPerMachine: fixed,
    mergeSecondsPerReplication,
    shardFileBytesPerReplication: d.shardFileBytes / reps,
    /** CPU-hours of the R replications (from the shard's CPU time, not its wall time). */
    cpuHours: (R * cpuSecondsPerReplication * PROVINCE.workerCores) / 3600,
    machines,
  };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const f = parseFlags(process.argv.slice(2));
  const started = new Date();
  const cpus = os.cpus();
  const results: Record<string, unknown> = {
    about: 'fundcast benchmark (npm run bench). Numbers are from ONE run on the machine below, while other processes may have been running (see loadAverage); rerun to compare.',
    machine: {
      cpuModel: cpus[0]?.model ?? 'unknown',
      cpuCount: cpus.length,
      availableParallelism: os.availableParallelism(),
      node: process.version,
      v8: process.versions.v8,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      totalMemoryBytes: os.totalmem(),
      date: started.toISOString(),
      loadAverageAtStart: loadNow(),
    },
    flags: { only: [...f.only], P: f.P, R: f.R, reps: f.reps, engineReps: f.engineReps, numpy: f.numpy, quick: f.quick, ...(f.only.has('distributed') ? { provinceCohort: f.provinceCohort, shardReps: f.shardReps } : {}) },
    units: {
      patientYearsPerS: 'patient-years per second (wall clock)',
      patientYearsPerCpuS: 'patient-years per CPU second (all threads of the process)',
      nsPerPatientYear: 'wall nanoseconds per patient-year (per core only for 1 worker)',
      times_s: 'seconds',
      bytes: 'bytes',
      yuan: 'yuan (meanFund, sdFund, meanCost, quantiles)',
    },
  };
  log(`fundcast bench — ${cpus[0]?.model} × ${cpus.length}, Node ${process.version}, load ${loadNow().join(' ')}`);
  log('Numbers are from one run; other processes on this machine make them noisy (compare the load average).');

  // ---------------------------------------------------------------- W
  if (f.only.has('w')) {
    log(`\n== W(P=${f.P}, R=${f.R}): median of ${f.reps} after a warm-up ==`);
    const npMissing = f.numpy ? await numpyAvailable() : 'disabled by --no-numpy';
    if (npMissing) log(`numpy reference skipped: ${npMissing}`);
    const fc: WMeasurement[] = [];
    const np: NumpyResult[] = [];
    for (const algo of ['monthly', 'annual'] as const) {
      for (const workers of [1, 2]) {
        const m = await measureW(f.P, f.R, algo, workers, f.reps);
        fc.push(m);
        log(`fundcast ${algo.padEnd(7)} ${workers} worker${workers > 1 ? 's' : ' '}: ${fmtM(m.patientYearsPerS)} patient-years/s (${m.nsPerPatientYear.toFixed(0)} ns/py; ${fmtM(m.patientYearsPerCpuS)} per CPU-s)  fund ${fmtM(m.stats.meanFund)} cost ${fmtM(m.stats.meanCost)}  [${m.times_s.map((t) => t.toFixed(2)).join(' ')} s]`);
        if (!npMissing) {
          const n = await runNumpy(algo, f.P, f.R, f.reps, workers);
          np.push(n);
          log(`numpy    ${algo.padEnd(7)} ${workers} process${workers > 1 ? 'es' : '  '}: ${fmtM(n.patient_years_per_s)} patient-years/s  fund ${fmtM(n.meanFund)} cost ${fmtM(n.meanCost)}  [${n.times.map((t) => t.toFixed(2)).join(' ')} s]`);
        }
      }
    }
    const get = (algo: WAlgo, w: number) => fc.find((m) => m.algo === algo && m.workers === w)!;
    const getN = (algo: WAlgo, w: number) => np.find((n) => n.impl.endsWith(algo) && n.threads === w) ?? null;
    // determinism: same seed → same rows for 1 and 2 workers
    const deterministic = (['monthly', 'annual'] as const).map((a) => ({ algo: a, hash1: get(a, 1).rowsHash, hash2: get(a, 2).rowsHash, identical: get(a, 1).rowsHash === get(a, 2).rowsHash }));
    const agree = (['monthly', 'annual'] as const).flatMap((a) => agreement(a, get(a, 1).stats, getN(a, 1), f.P));
    const npMonthly1 = getN('monthly', 1)?.patient_years_per_s ?? NaN;
    const ratios = {
      fundcastMonthly1_vs_numpyMonthly1: get('monthly', 1).patientYearsPerS / npMonthly1,
      fundcastAnnual1_vs_numpyAnnual1: get('annual', 1).patientYearsPerS / (getN('annual', 1)?.patient_years_per_s ?? NaN),
      fundcastMonthly2_vs_numpyMonthly2: get('monthly', 2).patientYearsPerS / (getN('monthly', 2)?.patient_years_per_s ?? NaN),
      fundcastAnnual2_vs_numpyAnnual2: get('annual', 2).patientYearsPerS / (getN('annual', 2)?.patient_years_per_s ?? NaN),
      fundcastAnnual1_vs_numpyMonthly1: get('annual', 1).patientYearsPerS / npMonthly1,
      speedup2v1_fundcastMonthly: get('monthly', 2).patientYearsPerS / get('monthly', 1).patientYearsPerS,
      speedup2v1_fundcastAnnual: get('annual', 2).patientYearsPerS / get('annual', 1).patientYearsPerS,
      speedup2v1_numpyMonthly: (getN('monthly', 2)?.patient_years_per_s ?? NaN) / npMonthly1,
      speedup2v1_numpyAnnual: (getN('annual', 2)?.patient_years_per_s ?? NaN) / (getN('annual', 1)?.patient_years_per_s ?? NaN),
      fundcastMonthly1_vs_floor: FLOOR_NS / get('monthly', 1).nsPerPatientYear,
      fundcastAnnual1_vs_floor: FLOOR_NS / get('annual', 1).nsPerPatientYear,
    };
    const targets = {
      onePerS: { target: TARGET.onePerS, monthly: get('monthly', 1).patientYearsPerS, annual: get('annual', 1).patientYearsPerS, met: get('monthly', 1).patientYearsPerS >= TARGET.onePerS },
      vsNumpyMonthly: { target: TARGET.vsNumpyMonthly, value: ratios.fundcastMonthly1_vs_numpyMonthly1, met: Number.isFinite(ratios.fundcastMonthly1_vs_numpyMonthly1) ? ratios.fundcastMonthly1_vs_numpyMonthly1 >= TARGET.vsNumpyMonthly : null },
      twoWorkerSpeedup: { target: TARGET.twoWorkerSpeedup, monthly: ratios.speedup2v1_fundcastMonthly, annual: ratios.speedup2v1_fundcastAnnual, met: ratios.speedup2v1_fundcastMonthly >= TARGET.twoWorkerSpeedup && ratios.speedup2v1_fundcastAnnual >= TARGET.twoWorkerSpeedup },
      floorNsPerPatientYear: { floor: FLOOR_NS, monthly: get('monthly', 1).nsPerPatientYear, annual: get('annual', 1).nsPerPatientYear },
    };
    results.w = { fundcast: fc, numpy: np, numpySkipped: npMissing, deterministic, agreement: agree, ratios, targets };

    log('\nW throughput (patient-years/s, wall clock)');
    const rows: (string | number)[][] = [['', 'fundcast 1 worker', 'fundcast 2 workers', 'speedup', 'numpy 1 proc', 'numpy 2 procs', 'fundcast/numpy (1)', 'fundcast/numpy (2)']];
    for (const a of ['monthly', 'annual'] as const) {
      const n1 = getN(a, 1);
      const n2 = getN(a, 2);
      rows.push([a, fmtM(get(a, 1).patientYearsPerS), fmtM(get(a, 2).patientYearsPerS), fmtX(get(a, 2).patientYearsPerS / get(a, 1).patientYearsPerS), n1 ? fmtM(n1.patient_years_per_s) : '-', n2 ? fmtM(n2.patient_years_per_s) : '-', n1 ? fmtX(get(a, 1).patientYearsPerS / n1.patient_years_per_s) : '-', n2 ? fmtX(get(a, 2).patientYearsPerS / n2.patient_years_per_s) : '-']);
    }
    log(table(rows));
    log(`ns per patient-year on one worker: monthly ${get('monthly', 1).nsPerPatientYear.toFixed(0)}, annual ${get('annual', 1).nsPerPatientYear.toFixed(0)} (exact kernel's floor ≈ ${FLOOR_NS} ns, WORKLOAD.md)`);
    log(`targets: ≥ ${fmtM(TARGET.onePerS)}/s on one core: ${targets.onePerS.met ? 'met' : 'NOT met'}; ≥ ${TARGET.vsNumpyMonthly}× numpy monthly: ${targets.vsNumpyMonthly.met === null ? 'n/a (numpy skipped)' : targets.vsNumpyMonthly.met ? 'met' : 'NOT met'} (${fmtX(ratios.fundcastMonthly1_vs_numpyMonthly1)}); 2 workers ≥ ${TARGET.twoWorkerSpeedup}×: ${targets.twoWorkerSpeedup.met ? 'met' : 'NOT met'} (${fmtX(ratios.speedup2v1_fundcastMonthly)} monthly, ${fmtX(ratios.speedup2v1_fundcastAnnual)} annual)`);
    log('\nAgreement (fundcast 1 worker vs numpy 1 process; |z| ≤ 4 standard errors of the difference)');
    for (const g of agree) {
      const vs = g.numpy !== null ? `numpy ${fmtM(g.numpy)}, diff ${(g.difference! / 1e3).toFixed(1)}k ± ${(g.seDifference! / 1e3).toFixed(1)}k (z = ${g.z!.toFixed(2)})` : 'numpy skipped';
      log(`${g.pass ? 'PASS' : 'FAIL'} ${g.algo.padEnd(7)} ${g.quantity.padEnd(8)}: fundcast ${fmtM(g.fundcast)}, ${vs}; WORKLOAD.md ${fmtM(g.expected)} (z = ${g.zExpected.toFixed(2)})`);
    }
    for (const d of deterministic) log(`${d.identical ? 'PASS' : 'FAIL'} ${d.algo}: same seed → identical per-replication output on 1 and 2 workers (${d.hash1} / ${d.hash2})`);
  }

  // ---------------------------------------------------------------- ablation
  if (f.only.has('ablation')) {
    const P = f.P;
    const R = Math.max(1, Math.round(f.R / 10));
    log(`\n== Ablation: W(P=${P}, R=${R}) on 1 worker, from fundcast 0.1's kernel primitives to the fast kernel ==`);
    const steps: { name: string; algo: WAlgo; kernel: 'fast' | 'buffered'; options?: BufferedOptions }[] = [];
    for (const algo of ['monthly', 'annual'] as const) {
      steps.push({ name: 'fundcast 0.1 kernel primitives: fillUniforms, fillNormals (polar), sequential Poisson, Math.exp', algo, kernel: 'buffered', options: BASELINE_OPTIONS });
      if (algo === 'monthly') steps.push({ name: '+ Poisson against integer thresholds', algo, kernel: 'buffered', options: { poisson: 'thresholds', normals: 'polar', exp: 'math' } });
      steps.push({ name: '+ ziggurat normals (buffered)', algo, kernel: 'buffered', options: { poisson: 'thresholds', normals: 'ziggurat', exp: 'math' } });
      steps.push({ name: '+ table exp', algo, kernel: 'buffered', options: { poisson: 'thresholds', normals: 'ziggurat', exp: 'table' } });
      steps.push({ name: 'fast kernel: one stream, state in locals, no buffers', algo, kernel: 'fast' });
    }
    const abl: (WMeasurement & { step: string })[] = [];
    for (const s of steps) {
      const m = await measureW(P, R, s.algo, 1, f.reps, s.kernel, s.options);
      abl.push({ ...m, step: s.name });
      log(`${s.algo.padEnd(7)} ${s.name.padEnd(86)} ${m.nsPerPatientYear.toFixed(0).padStart(5)} ns/py  ${fmtM(m.patientYearsPerS)}/s  fund ${fmtM(m.stats.meanFund * (EXPECTED.P / P))} (scaled to P=1e5)`);
    }
    results.ablation = abl;
  }

  // ---------------------------------------------------------------- engine
  let engine: EngineConfigResult[] = [];
  if (f.only.has('engine') || f.only.has('project')) {
    log(`\n== Full engine on the default region (payment-comparison = wuhu-default + capitation + points); warm-up 1 replication, then ${f.engineReps} timed ==`);
    const base = await runEngineChild({ scenario: 'payment-comparison', workers: 1, warmReps: 0, reps: 0, baseline: true });
    log(`baseline (engine loaded, scenario compiled, nothing simulated): peak RSS ${(base.maxRssBytes / 2 ** 20).toFixed(0)} MiB; start-up (Node, tsx, importing engine/index.ts) ${base.startupSeconds.toFixed(2)} s — each worker thread pays this again`);
    const modelSets: { label: string; models?: string[] }[] = f.only.has('engine')
      ? [{ label: 'ffs', models: ['ffs'] }, { label: 'capitation', models: ['capitation'] }, { label: 'points', models: ['points'] }, { label: 'all three (CRN)' }]
      : [{ label: 'all three (CRN)' }];
    for (const ms of modelSets) {
      for (const workers of [1, 2]) {
        const r = await runEngineChild({ scenario: 'payment-comparison', models: ms.models, workers, warmReps: 1, reps: f.engineReps });
        const d = engineDerived(r, base.maxRssBytes);
        engine.push(d);
        log(`${ms.label.padEnd(16)} ${workers} worker${workers > 1 ? 's' : ' '}: ${fmtM(d.horizonPatientYearsPerS)} horizon py/s, ${fmtM(d.simulatedPatientYearsPerS)} simulated py/s (marginal ${fmtM(d.marginalSimulatedPatientYearsPerS)}/s; history ${d.historyYears} y; variants ${d.variants}); peak RSS ${(d.maxRssBytes / 2 ** 20).toFixed(0)} MiB = ${d.rssBytesPerPatient.toFixed(0)} B/patient (${d.rssAboveBaselineBytesPerPatient.toFixed(0)} above baseline)`);
      }
    }
    const byKey = (label: string, w: number) => engine.find((e) => (e.config.models ? e.config.models.join('+') : 'all') === label && e.config.workers === w);
    const scaling = ['ffs', 'capitation', 'points', 'all'].flatMap((k) => {
      const a = byKey(k, 1);
      const b = byKey(k, 2);
      return a && b ? [{ models: k, speedup2v1: b.simulatedPatientYearsPerS / a.simulatedPatientYearsPerS, marginalSpeedup2v1: b.marginalSimulatedPatientYearsPerS / a.marginalSimulatedPatientYearsPerS }] : [];
    });
    // Memory per simulated patient as a slope: peak RSS against the cohort over regions of 1, 2 and 4
    // times the residents (all three models, 1 worker). What is fixed (the engine, JIT code, the
    // V8 heap's headroom) is in the intercept; what grows with the patients is in the slope.
    const memory: { residentsScale: number; cohort: number; maxRssBytes: number }[] = [];
    if (!f.quick) {
      for (const k of [1, 2, 4]) {
        const r = await runEngineChild({ scenario: 'payment-comparison', workers: 1, warmReps: 1, reps: 2, residentsScale: k });
        memory.push({ residentsScale: k, cohort: r.cohort, maxRssBytes: r.maxRssBytes });
      }
    }
    const slope = memory.length >= 2 ? leastSquaresSlope(memory.map((m) => m.cohort), memory.map((m) => m.maxRssBytes)) : NaN;
    if (memory.length) log(`memory (all three, 1 worker; peak RSS vs cohort): ${memory.map((m) => `×${m.residentsScale}: ${Math.round(m.cohort)} patients ${(m.maxRssBytes / 2 ** 20).toFixed(0)} MiB`).join('; ')} → ${slope.toFixed(0)} B per additional patient`);
    results.engine = { baseline: { maxRssBytes: base.maxRssBytes, startupSeconds: base.startupSeconds }, configurations: engine, scaling, memory: { points: memory, bytesPerPatient: slope } };
    if (f.only.has('engine')) {
      log('\nFull engine (patient-years/s, wall clock, end to end; marginal = without fixed costs)');
      const rows: (string | number)[][] = [['models', 'workers', 'horizon py/s', 'simulated py/s', 'marginal sim. py/s', 'history/horizon py', 'CPU s (child)', 'peak RSS MiB', 'B/patient', 'B/patient above baseline']];
      for (const e of engine) rows.push([e.models.join('+'), e.config.workers, fmtM(e.horizonPatientYearsPerS), fmtM(e.simulatedPatientYearsPerS), fmtM(e.marginalSimulatedPatientYearsPerS), (e.timed!.historyPatientYears / e.timed!.horizonPatientYears).toFixed(2), (e.cpuUserSeconds + e.cpuSystemSeconds).toFixed(1), (e.maxRssBytes / 2 ** 20).toFixed(0), e.rssBytesPerPatient.toFixed(0), e.rssAboveBaselineBytesPerPatient.toFixed(0)]);
      log(table(rows));
      for (const s of scaling) log(`2-worker speedup, ${s.models}: ${fmtX(s.speedup2v1)} end to end, ${fmtX(s.marginalSpeedup2v1)} marginal`);
    }
  }

  // ---------------------------------------------------------------- projection
  if (f.only.has('project')) {
    const all2 = engine.find((e) => !e.config.models && e.config.workers === 2);
    if (all2) {
      const t = all2.timed!;
      const perRepSim = (t.horizonPatientYears + t.historyPatientYears) / t.replications;
      const citySim = cityPatientYears(all2);
      const rate = all2.marginalSimulatedPatientYearsPerS > 0 ? all2.marginalSimulatedPatientYearsPerS : all2.simulatedPatientYearsPerS;
      const projected = citySim / rate + Math.max(0, all2.fixedSeconds || 0);
      const needed = citySim / TARGET.citySeconds;
      const p = {
        target: `${TARGET.cityPatients} patients × ${TARGET.cityYears} years × ${TARGET.cityReps} replications, ffs + capitation + points on common random numbers, ≤ ${TARGET.citySeconds} s`,
        measuredOn: 'payment-comparison (all three models), 2 workers',
        cohortMeasured: all2.cohort,
        simulatedPatientYearsPerReplicationMeasured: perRepSim,
        simulatedPatientYearsCity: citySim,
        rateUsedPatientYearsPerS: rate,
        fixedSeconds: all2.fixedSeconds,
        projectedSeconds: projected,
        neededPatientYearsPerS: needed,
        speedupNeeded: needed / rate,
        met: projected <= TARGET.citySeconds,
        wKernelProjectedSeconds: null as number | null,
      };
      const wAll = (results.w as { fundcast?: WMeasurement[] } | undefined)?.fundcast?.find((m) => m.algo === 'monthly' && m.workers === 2);
      if (wAll) p.wKernelProjectedSeconds = citySim / wAll.patientYearsPerS;
      // The same, measured at the city's size: a region with residents scaled so that the cohort is
      // about 600,000, 2 workers; 200 replications = the fixed cost + 200 × the marginal seconds per replication.
      const cityScale = TARGET.cityPatients / all2.cohort;
      const city = engineDerived(await runEngineChild({ scenario: 'payment-comparison', workers: 2, warmReps: 1, reps: f.quick ? 2 : 3, residentsScale: cityScale }), NaN);
      const secPerRep = (city.timed!.wallSeconds - city.warm!.wallSeconds) / (city.timed!.replications - city.warm!.replications);
      const yearsFactor = TARGET.cityYears / city.horizonYears;
      const cityMeasured = {
        residentsScale: cityScale,
        cohort: city.cohort,
        marginalSecondsPerReplication: secPerRep,
        fixedSeconds: city.warm!.wallSeconds - secPerRep,
        // horizon years are scaled to 5 (the default region's horizon is 5 years already)
        projectedSeconds: (city.warm!.wallSeconds - secPerRep) + TARGET.cityReps * secPerRep * yearsFactor,
        maxRssBytes: city.maxRssBytes,
      };
      Object.assign(p, { cityMeasured, met: cityMeasured.projectedSeconds <= TARGET.citySeconds });
      results.projection = p;
      log(`\n== City-scale projection ==\n${p.target}`);
      log(`= ${fmtM(citySim)} simulated patient-years (incl. ${all2.historyYears} history years for capitation's budget; measured ${fmtM(perRepSim)} per replication for a cohort of ${Math.round(all2.cohort)}, scaled to 600,000)`);
      log(`at ${fmtM(rate)} patient-years/s (measured, 2 workers) → projected ${projected.toFixed(0)} s: ${p.met ? 'MET' : 'NOT met'}; needs ${fmtM(needed)}/s, ${fmtX(p.speedupNeeded)} faster`);
      if (p.wKernelProjectedSeconds !== null) log(`(at W's monthly kernel speed on 2 workers it would take ${p.wKernelProjectedSeconds.toFixed(0)} s: the engine does far more per visit than W)`);
      log(`measured at the city's size (residents ×${cityScale.toFixed(2)}, cohort ${Math.round(cityMeasured.cohort)}, 2 workers): ${cityMeasured.marginalSecondsPerReplication.toFixed(2)} s per replication + ${cityMeasured.fixedSeconds.toFixed(1)} s fixed → 200 replications in ${cityMeasured.projectedSeconds.toFixed(0)} s: ${cityMeasured.projectedSeconds <= TARGET.citySeconds ? 'MET' : 'NOT met'} (peak RSS ${(cityMeasured.maxRssBytes / 2 ** 20).toFixed(0)} MiB)`);
    } else log('\nprojection needs the full-engine measurement of all three models on 2 workers');
  }

  // ---------------------------------------------------------------- scaling
  if (f.only.has('scaling')) {
    const cores = os.availableParallelism();
    log(`\n== Worker scaling: ${f.workers.join(', ')} workers (${cores} cores available) ==`);
    if (f.workers.some((w) => w > cores)) log(`note: more workers than cores (${cores}) — those rows measure oversubscription, not scaling`);
    // The w and engine parts of this run already measured some counts the same way: reuse those.
    const wMeasured = (results.w as { fundcast?: WMeasurement[] } | undefined)?.fundcast ?? [];
    const w: (WMeasurement & { speedup: number; efficiency: number; identicalToSmallest: boolean })[] = [];
    for (const k of f.workers) {
      const m = wMeasured.find((x) => x.algo === 'monthly' && x.workers === k) ?? (await measureW(f.P, f.R, 'monthly', k, f.reps));
      const one = w[0] ?? m;
      w.push({ ...m, speedup: m.patientYearsPerS / one.patientYearsPerS, efficiency: m.patientYearsPerS / one.patientYearsPerS / (k / one.workers), identicalToSmallest: m.rowsHash === one.rowsHash });
    }
    const eng: (EngineConfigResult & { speedup: number; efficiency: number; cityProjectedSeconds: number })[] = [];
    for (const k of f.workers) {
      // enough replications that every worker has several tasks' work in the timed run
      const reps = Math.max(f.engineReps, 2 * k);
      const e = engine.find((x) => !x.config.models && x.config.workers === k && x.config.reps === reps) ?? engineDerived(await runEngineChild({ scenario: 'payment-comparison', workers: k, warmReps: 1, reps }), NaN);
      const one = eng[0] ?? e;
      const speedup = e.marginalSimulatedPatientYearsPerS / one.marginalSimulatedPatientYearsPerS;
      eng.push({ ...e, speedup, efficiency: speedup / (k / one.config.workers), cityProjectedSeconds: cityPatientYears(e) / e.marginalSimulatedPatientYearsPerS + Math.max(0, e.fixedSeconds || 0) });
    }
    results.scaling = {
      about: 'W (monthly) and the full engine (payment-comparison, all three models on common random numbers) per worker count; speedup and efficiency against the smallest count; the engine by its marginal rate. cityProjectedSeconds: the city-scale target (600,000 patients × 5 years × 200 replications) at that rate plus the fixed cost.',
      availableParallelism: cores,
      workers: f.workers,
      w,
      engine: eng,
    };
    const rows: (string | number)[][] = [['workers', 'W py/s', 'W speedup', 'W efficiency', 'W same result', 'engine py/s (marginal)', 'engine speedup', 'engine efficiency', 'city-scale projected']];
    for (let i = 0; i < f.workers.length; i++) {
      const a = w[i];
      const e = eng[i];
      rows.push([f.workers[i], fmtM(a.patientYearsPerS), fmtX(a.speedup), (a.efficiency * 100).toFixed(0) + '%', a.identicalToSmallest ? 'yes' : 'NO', fmtM(e.marginalSimulatedPatientYearsPerS), fmtX(e.speedup), (e.efficiency * 100).toFixed(0) + '%', `${e.cityProjectedSeconds.toFixed(0)} s`]);
    }
    log(table(rows));
    log(`city-scale target ≤ ${TARGET.citySeconds} s: ${eng.some((e) => e.cityProjectedSeconds <= TARGET.citySeconds) ? `met from ${eng.find((e) => e.cityProjectedSeconds <= TARGET.citySeconds)!.config.workers} workers (projected)` : 'not met at any measured worker count (projected)'}`);
  }

  // ---------------------------------------------------------------- distributed
  if (f.only.has('distributed')) {
    log(`\n== Distributed: one shard of a province-scale run (payment-comparison, cohort ${fmtM(f.provinceCohort)} chronic patients), ${f.shardReps} replication${f.shardReps > 1 ? 's' : ''} on ${PROVINCE.workerCores} workers, then merged ==`);
    const loadBefore = loadNow();
    const cfg: DistributedChildConfig = { cohortTarget: f.provinceCohort, replications: f.shardReps, workers: PROVINCE.workerCores };
    const d = await runChild<DistributedChildResult>('bench/distributed-child.ts', cfg);
    results.distributed = { ...distributedProjection(d), loadAverageBefore: loadBefore, loadAverageAfter: loadNow() };
    const p = results.distributed as ReturnType<typeof distributedProjection>;
    log(`province: residents ×${d.residentsScale.toFixed(1)} = ${fmtM(d.residents)} residents, ${d.blocks} blocks, ${d.facilities} facilities, cohort ${fmtM(d.cohort)} (measured), ${d.horizonYears}-year horizon`);
    log(`shard of ${f.shardReps}: ${d.shardSeconds.toFixed(1)} s wall, ${d.shardCpuSeconds.toFixed(1)} CPU-s (compile ${d.compileSeconds.toFixed(1)} s, start-up ${d.startupSeconds.toFixed(1)} s) → ${p.secondsPerReplication.toFixed(1)} s per replication on ${PROVINCE.workerCores} cores (${p.cpuSecondsPerReplication.toFixed(1)} s from CPU time); shard file ${(d.shardFileBytes / 2 ** 20).toFixed(1)} MiB; peak RSS ${(d.maxRssBytes / 2 ** 30).toFixed(2)} GiB`);
    log(`merge of ${f.shardReps}: ${d.mergeSeconds.toFixed(1)} s + results ${d.writeResultsSeconds.toFixed(1)} s → ${p.mergeSecondsPerReplication.toFixed(2)} s per replication`);
    log(`\n${PROVINCE.replications} replications of the province (${p.cpuHours.toFixed(1)} CPU-hours) on W machines of ${PROVINCE.workerCores} cores (projected):`);
    log(table([['machines W', 'shard time', 'merge', 'total', 'vs 1 machine', 'total from CPU time'], ...p.machines.map((m) => [m.machines, `${(m.shardSeconds / 60).toFixed(1)} min`, `${(m.mergeSeconds / 60).toFixed(1)} min`, `${(m.totalSeconds / 60).toFixed(1)} min`, fmtX(p.machines[0].totalSeconds / m.totalSeconds), `${(m.totalSecondsFromCpu / 60).toFixed(1)} min`])]));
    log(`load average before/after: ${loadBefore.join(' ')} / ${loadNow().join(' ')} (the machine is shared: times are noisy)`);
  }

  // ---------------------------------------------------------------- precision
  if (f.only.has('precision')) {
    log(`\n== Time to a decision-grade answer: --precision, and P(balance < 0) by the normal approximation ==`);
    const loadBefore = loadNow();
    const scale = f.quick ? 0.2 : TARGET.cityPatients / PAYMENT_COMPARISON_COHORT;
    const pc = await runChild<PrecisionChildResult>('bench/precision-child.ts', { part: 'precision', residentsScale: scale, workers: 2, first: 2, precision: { outlay: 0.005, difference: 0.005 }, maxReplications: 200 } satisfies PrecisionChildConfig);
    const p = pc.precision!;
    const fixed200 = p.wallSeconds + (TARGET.cityReps - p.replications) * p.marginalSecondsPerReplication;
    log(`payment-comparison ×${scale.toFixed(2)} (cohort ${Math.round(p.cohort)}), Monte Carlo only, 3 models, 2 workers, --replications 2 --precision 0.5%:`);
    log(`  ${p.report.met ? 'met' : 'NOT met'} after ${p.replications} replications (checked at ${p.report.checkedAt.join(', ')}) in ${p.wallSeconds.toFixed(1)} s; at ${p.marginalSecondsPerReplication.toFixed(2)} s per further replication (measured: a plain run of ${p.replications + 2}) a fixed ${TARGET.cityReps}-replication run takes ≈ ${fixed200.toFixed(0)} s (${fmtX(fixed200 / p.wallSeconds)} longer)`);
    for (const m of p.report.metrics) log(`  ${m.metric} ${m.model}: ±${((m.achieved ?? NaN) * 100).toFixed(3)}% (target ±${(m.target * 100).toFixed(2)}%)`);
    const nt = (await runChild<PrecisionChildResult>('bench/precision-child.ts', { part: 'normalTail', residents: f.quick ? 40_000 : 200_000, years: 2, groups: f.quick ? 6 : 40, groupSize: 10, workers: 2 } satisfies PrecisionChildConfig)).normalTail!;
    log(`P(balance < 0) in ${nt.year}, ${Math.round(nt.patients)} patients, parameters fixed, ${nt.replications} replications in groups of 10:`);
    log(`  brute force ${(nt.bruteForce.value * 100).toFixed(1)}% (SE ${(nt.bruteForce.se * 100).toFixed(1)}), normal approximation ${(nt.normal.value * 100).toFixed(1)}% (SE ${(nt.normal.se * 100).toFixed(1)}, Jarque–Bera ${nt.normal.jarqueBera.toFixed(2)}, ${nt.normal.holds ? 'holds' : 'does not hold'})`);
    log(`  variance ratio Var(share) ÷ Var(normal) across groups: ${nt.varianceRatio.toFixed(2)} (delta method predicts ${nt.predictedRatio.toFixed(2)})`);
    const cvr = (await runChild<PrecisionChildResult>('bench/precision-child.ts', { part: 'controlVariates', scenario: 'fund-forecast', replications: f.quick ? 12 : 40, workers: 2 } satisfies PrecisionChildConfig)).controlVariates!;
    log(`control variates (the parameter draws, exact means) on ${cvr.scenario}, ${cvr.replications} replications, ${cvr.controls} uncertain parameters:`);
    for (const m of cvr.models) {
      const line = (what: string, e: { plain: { value: number; se: number }; value: number; se: number; varianceRatio: number; rSquared: number; holds: boolean }) =>
        log(`  ${m.name} ${what}: plain SE ${e.plain.se.toPrecision(3)}, control variates SE ${e.se.toPrecision(3)} → variance ratio ${e.varianceRatio.toFixed(2)} (R² ${e.rSquared.toFixed(3)}${e.holds ? '' : ', does not hold'})`);
      line('horizon outlay', m.horizonOutlay);
      line('P(ruin)', m.ruin);
      if (m.differenceFromFirst) line('difference from the first model', m.differenceFromFirst);
    }
    results.precision = {
      controlVariates: cvr,
      note: 'measured under load on a shared machine: compare the ratios (side by side in one run), not the seconds, with other runs',
      precisionRun: { scenario: 'payment-comparison, uncertainty held at stated values (Monte Carlo only), 3 models, 2 workers', residentsScale: scale, first: 2, target: '0.5% (mean horizon outlay of each model and paired differences)', ...p, fixed200Seconds: fixed200, speedupVsFixed200: fixed200 / p.wallSeconds },
      normalTail: nt,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadNow(),
    };
  }

  (results.machine as Record<string, unknown>).loadAverageAtEnd = loadNow();
  (results.machine as Record<string, unknown>).benchSeconds = (Date.now() - started.getTime()) / 1000;
  if (f.write) {
    mkdirSync(dirname(f.out), { recursive: true });
    const tmp = `${f.out}.tmp-${process.pid}`;
    let out = results;
    if (f.merge && existsSync(f.out)) out = mergeResults(JSON.parse(readFileSync(f.out, 'utf8')) as Record<string, unknown>, results);
    writeFileSync(tmp, JSON.stringify(out, null, 2) + '\n');
    renameSync(tmp, f.out);
    log(`\nwrote ${f.out} (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s in all)`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
