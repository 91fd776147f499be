/**
 * runScenario(): the whole pipeline for one scenario. Its stages, in order (data flows one way):
 *
 *  1. parameters   — the validated scenario, flags applied (params/), resolved per month (utilization/kernel-params.ts)
 *  2. region       — the deterministic facility structure and blocks (population/region.ts)
 *  3. tasks        — (replication, block range) units run in this thread or on the worker pool (pool.ts);
 *                    each synthesizes its blocks' patients (population/synthesize.ts) and runs utilization
 *                    and adjudication (utilization/kernel.ts, benefits/) into facility-year aggregates
 *  4. merge        — a replication's task aggregates are summed (exact integer fen, order-free)
 *  5. payment      — every payment model pays the same claims (payment/), common random numbers
 *  6. ledger       — income, budget, outlays, balance, reserve months per model (ledger/)
 *  7. summary      — distributions across replications (summarize.ts, risk/)
 *
 * No stage reaches back into an earlier one; the result depends on (scenario, seed) only — never on
 * the number of workers or how blocks are batched into tasks.
 */
import { Errors } from '../errors.ts';
import type { LoadedScenario } from '../params/load.ts';
import { scenarioHash } from '../params/load.ts';
import type { ScenarioFile } from '../params/schema.ts';
import { createRunner, type Runner } from './pool.ts';
import { ReplicationAssembler, runUnits } from './assemble.ts';
import { unitsOfRange } from './units.ts';
import { type ReplicationResult } from '../ledger/results.ts';
import { compile, type Compiled } from './simulate.ts';
import { summarize, type Summary } from './summarize.ts';
import { runChecks, type RunChecks } from './run-checks.ts';
import { fenToYuan } from '../money/fen.ts';
import { meanWithSE } from '../risk/mean-se.ts';
import { CheckpointWriter, readCheckpoint } from './checkpoint.ts';
import { availableMemory, DEFAULT_MAX_HOURS, estimateMemory, estimateTime, MAX_REGION_RESIDENTS, RESIDENT_YEARS_PER_SECOND } from './memory-guard.ts';
import { parameterControls } from '../risk/control-variates.ts';
import { batchSchedule, nextBatchEnd, precisionMetrics, type PrecisionReport, type PrecisionTarget } from '../risk/precision.ts';

export interface RunOptions {
  /**
   * Fit the collective risk model in the summary (default true). The extra runs whose replications
   * are all that is read (sensitivity, Monte Carlo only) turn it off: its Panjer fits take seconds.
   */
  collective?: boolean;
  replications?: number;
  years?: number;
  seed?: number;
  /** region.scale: residents, facilities' panels and the region's money multiplied together (params/scale.ts). */
  scale?: number;
  /** Worker threads (1 = run in this thread). Default: 1. */
  workers?: number;
  /** Blocks per task (internal batching; never changes results). Default: chosen from workers and replications. */
  blocksPerTask?: number;
  onProgress?: (done: number, total: number) => void;
  /** Keep doubling the replications until the SE of the first model's mean horizon outlay (yuan) is below this. */
  untilSE?: number;
  /**
   * Add replications in batches until every targeted metric's 95% half-width meets its target
   * (risk/precision.ts; `--precision`). The batch ends are a fixed schedule and the decision is taken
   * only between batches, so the stop is the same for any worker count.
   */
  precision?: PrecisionTarget;
  /** Cap for `untilSE` and `precision` (default 10,000). */
  maxReplications?: number;
  /** Aborting stops the run (SIGINT/SIGTERM in the CLI): it rejects with ERR_INTERRUPTED, nothing written. */
  signal?: AbortSignal;
  /** Save each completed replication to this file; with `resume`, skip those already in it. */
  checkpoint?: { file: string; resume: boolean };
  /** Memory available to the run, bytes (default: measured); the run is refused when the estimate exceeds 90% of it. */
  maxMemoryBytes?: number;
  /** The time estimate (seconds, a lower bound), before the simulation starts. */
  onEstimate?: (seconds: number) => void;
  /** With a checkpoint to resume: how many replications were read back from it. */
  onRestored?: (replications: number) => void;
  /** Longest run allowed (hours, default 24): a run whose time estimate (a lower bound) is longer is refused. Not checked with a runner (queue). */
  maxHours?: number;
  /** Attempts per task before the run stops (a crashed worker's task is re-run). Default 3. */
  maxAttempts?: number;
  onRetry?: (what: string) => void;
  /**
   * Run the tasks here instead of on a worker pool of this machine (queue mode: engine/run/queue/).
   * The caller owns it (it is not closed at the end, only on abort); `workers` then only sizes the
   * tasks (the parallelism to plan for) and no memory estimate is made for this machine.
   */
  runner?: Runner;
}

export interface RunResult {
  scenario: ScenarioFile;
  hash: string;
  replications: ReplicationResult[];
  summary: Summary;
  /** The opening balance read as reserve months, and warnings for the reader (run-checks.ts). */
  checks: RunChecks;
  wallSeconds: number;
  workers: number;
  facilities: { id: string; name: string; tier: string; county: string | null; community: string | null }[];
  /** With `precision`: the achieved half-widths and whether the targets were met (also in summary.precision). */
  precision?: PrecisionReport;
}

/** Cap of `untilSE` and `precision` runs when `maxReplications` is not given. */
export const DEFAULT_MAX_REPLICATIONS = 10_000;

/** The scenario with command-line overrides applied (each checked, naming its flag). */
export function applyOverrides(s: ScenarioFile, o: RunOptions): ScenarioFile {
  const out: ScenarioFile = structuredClone(s);
  if (o.replications !== undefined) {
    if (!Number.isInteger(o.replications) || o.replications < 1) throw Errors.BadFlag('replications', `must be a whole number ≥ 1, got ${o.replications}`);
    out.replications = o.replications;
  }
  if (o.years !== undefined) {
    if (!Number.isInteger(o.years) || o.years < 1 || o.years > 30) throw Errors.BadFlag('years', `must be a whole number from 1 to 30, got ${o.years}`);
    out.horizon = { ...out.horizon, years: o.years };
  }
  if (o.scale !== undefined) {
    if (!(Number.isFinite(o.scale) && o.scale > 0 && o.scale <= 100)) throw Errors.BadFlag('scale', `must be a number above 0 and at most 100, got ${o.scale}`);
    out.region = { ...out.region, scale: o.scale };
  }
  if (o.seed !== undefined) {
    if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw Errors.BadFlag('seed', `must be a whole number ≥ 0, got ${o.seed}`);
    out.seed = o.seed;
  }
  return out;
}

export async function runScenario(loaded: LoadedScenario, opts: RunOptions = {}): Promise<RunResult> {
  const t0 = performance.now();
  const scenario = applyOverrides(loaded.scenario, opts);
  const hash = scenarioHash(scenario);
  const workers = opts.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw Errors.BadFlag('workers', `must be a whole number from 1 to 256, got ${workers}`);
  if (opts.untilSE !== undefined && !(opts.untilSE > 0)) throw Errors.BadFlag('until-se', `must be a positive amount in yuan, got ${opts.untilSE}`);
  const residents = scenario.region.counties.reduce((a, k) => a + k.residents, 0) * (scenario.region.scale ?? 1);
  if (residents > MAX_REGION_RESIDENTS) throw Errors.RegionTooLarge(residents, MAX_REGION_RESIDENTS);
  if (opts.untilSE !== undefined && opts.precision !== undefined) throw Errors.Usage('--until-se and --precision are two stopping rules: use one (--precision 0.5% is the relative form)');
  if (opts.precision) checkTarget(opts.precision);
  const maxReps = opts.maxReplications ?? DEFAULT_MAX_REPLICATIONS;
  const adaptive = opts.untilSE !== undefined || opts.precision !== undefined;
  if (opts.precision && opts.precision.outlay === undefined && opts.precision.ruin === undefined && scenario.paymentModels.length < 2) {
    throw Errors.BadFlag('precision', `targets only paired differences, but the scenario has one payment model (${scenario.paymentModels[0]?.name}): there is no difference to target (use X% or outlay=X%)`);
  }
  const c = compile(scenario);
  const nB = c.region.blocks.length;

  // Resource guard: refuse with the estimate rather than crash half-way or run for days.
  const plannedReplications = adaptive ? Math.max(maxReps, scenario.replications) : scenario.replications;
  const est = opts.runner ? undefined : estimateMemory(c, plannedReplications, workers);
  const avail = opts.maxMemoryBytes ?? availableMemory();
  if (est && est.bytes > 0.9 * avail) {
    const GiB = 1024 ** 3;
    throw Errors.NotEnoughMemory(est.bytes / GiB, avail / GiB, Object.entries(est.parts).map(([k, v]) => `${k} ${(v / GiB).toFixed(2)}`).join(', '));
  }
  if (!opts.runner) {
    const t = estimateTime(c, plannedReplications, workers);
    opts.onEstimate?.(t.seconds);
    const maxHours = opts.maxHours ?? DEFAULT_MAX_HOURS;
    if (t.seconds > maxHours * 3600) {
      throw Errors.TooLong(t.seconds / 3600, maxHours, `${Math.round(t.residents).toLocaleString('en-US')} residents × ${t.years} simulated year${t.years > 1 ? 's' : ''}${t.variants > 1 ? ` × ${t.variants} utilization variants` : ''} × ${plannedReplications.toLocaleString('en-US')} replications on ${workers} worker${workers > 1 ? 's' : ''}, at most ${RESIDENT_YEARS_PER_SECOND.toLocaleString('en-US')} resident-years per second per worker`);
    }
  }

  if (opts.signal?.aborted) throw Errors.Interrupted();
  const done = opts.checkpoint?.resume ? readCheckpoint(opts.checkpoint.file, hash) : new Map<number, ReplicationResult>();
  if (opts.checkpoint?.resume) opts.onRestored?.(done.size);
  const saver = opts.checkpoint ? new CheckpointWriter(opts.checkpoint.file, hash, !opts.checkpoint.resume) : undefined;
  const runner = opts.runner ?? createRunner(workers, { maxAttempts: opts.maxAttempts, onRetry: (t, attempt, e) => opts.onRetry?.(`replication ${t.replication} blocks ${t.from}–${t.to - 1}: attempt ${attempt} failed (${e.message}); retrying on a fresh worker`) });
  const onAbort = () => void runner.close();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const results: ReplicationResult[] = [];

  const assembler = new ReplicationAssembler(scenario, hash, c);

  /** Run replications [r0, r1) and append their results (in replication order). */
  const runRange = async (r0: number, r1: number, total: number) => {
    const R = r1 - r0;
    // Enough tasks to keep every worker busy, but each a real amount of work (≥ one block).
    const perTask = opts.blocksPerTask ?? (R >= 2 * workers ? nB : Math.max(1, Math.ceil(nB / Math.ceil((2 * workers) / R))));
    const batch: ReplicationResult[] = new Array(R);
    for (let r = r0; r < r1; r++) {
      const saved = done.get(r);
      if (saved) batch[r - r0] = saved; // resumed from the checkpoint
    }
    let settled = batch.filter(Boolean).length;
    const units = unitsOfRange(r0, r1, nB, perTask).filter((u) => !done.has(u.replication));
    await runUnits(runner, scenario, hash, units, assembler, {
      signal: opts.signal,
      onSettled: (res) => {
        batch[res.replication - r0] = res;
        saver?.add(res);
        opts.onProgress?.(results.length + ++settled, total);
      },
    });
    results.push(...batch);
  };

  let R = scenario.replications;
  let precision: PrecisionReport | undefined;
  try {
    opts.onProgress?.([...done.keys()].filter((r) => r < R).length, R); // a resumed run starts at what it restored
    await runRange(0, R, R);
    if (opts.untilSE !== undefined) {
      // Double the replications until the standard error of the first model's mean horizon outlay
      // is below the target (or the cap). Replication r is the same whatever the batches, so the
      // stopping point and the result are reproducible.
      const max = maxReps;
      while (horizonOutlaySE(results) > opts.untilSE && R < max) {
        const next = Math.min(max, R * 2);
        await runRange(R, next, next);
        R = next;
      }
    }
    if (opts.precision !== undefined) {
      // Batches on a fixed schedule (R, ⌈1.25 R⌉, …, the cap); after each, the targets are checked
      // and the next batch end chosen from the projected need (risk/precision.ts).
      const schedule = batchSchedule(R, Math.max(R, maxReps));
      const checkedAt: number[] = [];
      for (;;) {
        const metrics = precisionMetrics(results, opts.precision, parameterControls(scenario));
        checkedAt.push(R);
        const next = nextBatchEnd(metrics, R, schedule);
        if (next === undefined) {
          precision = { target: opts.precision, replications: R, maxReplications: schedule[schedule.length - 1], met: metrics.every((m) => m.met), checkedAt, metrics };
          break;
        }
        await runRange(R, next, next);
        R = next;
      }
    }
  } catch (e) {
    if (opts.signal?.aborted) throw Errors.Interrupted();
    throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (!opts.runner) await runner.close();
  }
  const ran = { ...scenario, replications: results.length };
  const summary = summarize(results, scenario.risk, parameterControls(scenario), { collective: opts.collective !== false });
  if (precision) summary.precision = precision;
  return {
    scenario: ran,
    hash: ran.replications === scenario.replications ? hash : scenarioHash(ran),
    replications: results,
    summary,
    precision,
    checks: runChecks(ran, results),
    wallSeconds: (performance.now() - t0) / 1000,
    workers,
    facilities: facilityList(c),
  };
}

/** The region's facilities as results list them (facilities.csv). */
export function facilityList(c: Compiled): RunResult['facilities'] {
  return c.region.facilities.map((f) => ({
    id: f.id,
    name: f.name,
    tier: f.offSite ? 'offSite' : f.tier,
    county: f.county >= 0 ? c.region.counties[f.county].id : null,
    community: f.community >= 0 ? c.region.communities[f.community].id : null,
  }));
}

/** A target the engine can use (the CLI's parsePrecision gives only such; the API is checked here). */
function checkTarget(t: PrecisionTarget): void {
  const given = Object.entries(t).filter(([, v]) => v !== undefined);
  if (given.length === 0) throw Errors.BadFlag('precision', 'names no metric (outlay, difference or ruin)');
  for (const [k, v] of given) if (!(typeof v === 'number' && v > 0 && v < 1)) throw Errors.BadFlag('precision', `${k}: the target must be a fraction above 0 and below 1, got ${v}`);
}

/** Standard error (yuan) of the mean horizon fund outlay of the first payment model. */
export function horizonOutlaySE(reps: ReplicationResult[]): number {
  if (reps.length < 2) return Infinity;
  const totals = reps.map((r) => fenToYuan(r.models[0].years.reduce((a, y) => a + y.fundOutlayFen, 0)));
  return meanWithSE(totals).se;
}
