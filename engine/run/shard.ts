/**
 * Shards: `fundcast run SCENARIO --shard K/N` runs only shard K's work units (units.ts: whole
 * replications, or block ranges of them when there are more shards than replications) and writes a
 * shard file; `fundcast merge` (merge.ts) combines the N files into exactly the results one run
 * writes. Nothing but the files travels between machines, so a Kubernetes Indexed Job or a Slurm
 * array (docs/distributed.md) can run the shards anywhere.
 *
 * A shard file (`shard-K-of-N.jsonl`) is JSON lines in the checkpoint's encoding (checkpoint.ts:
 * typed arrays and ±Infinity kept):
 *   1. a header: format, fundcast version, scenario name, seed, hashes, which shard of which
 *      replications, whether the sensitivity runs are included, the runs and the units of each;
 *   2. per run, `{"run": KEY, "scenario": …}`: the scenario as run (the main run's, the
 *      Monte-Carlo-only run's and each one-way sensitivity run's: a sharded run shards those too, so
 *      merge needs no simulation);
 *   3. `{"run": KEY, "result": ReplicationResult}` per replication the shard holds whole, and
 *      `{"run": KEY, "partial": {replication, blocks, agg}}` per replication it holds only some
 *      blocks of (their summed facility-year aggregates; merge adds the other shards' and settles).
 */
import { join } from 'node:path';
import type { LoadedScenario } from '../params/load.ts';
import { scenarioHash } from '../params/load.ts';
import type { ScenarioFile } from '../params/schema.ts';
import type { ReplicationResult } from '../ledger/results.ts';
import { Errors } from '../errors.ts';
import { writeFileAtomic } from '../report/atomic.ts';
import { packageVersion } from '../report/write-results.ts';
import { ReplicationAssembler, runUnits, type PartialReplication } from './assemble.ts';
import { CHECKPOINT_FORMAT, toJsonLine } from './checkpoint.ts';
import { availableMemory, estimateMemory } from './memory-guard.ts';
import { createRunner } from './pool.ts';
import { applyOverrides, type RunOptions } from './run-scenario.ts';
import { planSensitivity } from './sensitivity.ts';
import { runMonteCarloOnly } from './monte-carlo-only.ts';
import { compile } from './simulate.ts';
import { shardPlan, tasksFor, type ShardSpec, type WorkUnit } from './units.ts';

/** Raised when the shard file's layout changes (merge refuses other formats). */
export const SHARD_FORMAT = 1;

export interface ShardRunInfo {
  /** The run's scenario hash (as run: replications, years and seed applied). */
  key: string;
  /** "main", "monte carlo only", "sensitivity PARAM = VALUE" or "sensitivity base". */
  label: string;
  /** The run's replications [from, to) that this shard's plan cut (the main run: the batch). */
  replications: { from: number; to: number };
  /** Blocks of the run's region (a unit's blocks are a range of these). */
  blocks: number;
  units: WorkUnit[];
}

export interface ShardHeader {
  fundcastShard: number;
  checkpointFormat: number;
  fundcastVersion: string;
  scenario: string;
  seed: number;
  /** The main run's scenario hash, as run. */
  scenarioHash: string;
  /** The main run's scenario hash without its replication count: equal for every batch of one run. */
  baseHash: string;
  shard: ShardSpec;
  /** The main run's replications that were cut into shards (a batch; [0, R) unless replications are added later). */
  replications: { from: number; to: number };
  /** Whether the one-way sensitivity runs are included (false with --no-sensitivity or without a sensitivity section). */
  sensitivity: boolean;
  scenarioFiles: string[];
  workers: number;
  wallSeconds: number;
  runs: ShardRunInfo[];
}

export interface ShardRun extends ShardRunInfo {
  scenario: ScenarioFile;
  results: ReplicationResult[];
  partials: PartialReplication[];
}

export interface ShardResult {
  header: ShardHeader;
  runs: ShardRun[];
}

export interface ShardOptions extends RunOptions {
  shard: ShardSpec;
  /** Include the scenario's one-way sensitivity runs (default true; `--no-sensitivity` turns it off). */
  sensitivity?: boolean;
  /**
   * The first replication of this batch (default 0): replications [firstReplication, replications)
   * are cut into the shards. A later batch adds replications to an earlier one's (merge checks that
   * the batches join up), and to the extra runs whose replications grow with the run's.
   */
  firstReplication?: number;
}

/** The scenario hash without the replication count: one run's batches share it. */
export function baseHashOf(s: ScenarioFile): string {
  return scenarioHash({ ...s, replications: 0 });
}

/**
 * The scenario of the Monte-Carlo-only run (monte-carlo-only.ts) as run, or undefined without
 * uncertain parameters: found by asking runMonteCarloOnly itself (its `run` is stopped at its first
 * call), so that a sharded run can never plan it differently from a single run.
 */
export async function monteCarloOnlyScenario(scenario: ScenarioFile): Promise<ScenarioFile | undefined> {
  const planned = new Error('planned');
  let out: ScenarioFile | undefined;
  try {
    await runMonteCarloOnly(scenario, async (l, o) => {
      out = applyOverrides(l.scenario, o);
      throw planned;
    }, {});
  } catch (e) {
    if (e !== planned) throw e;
  }
  return out;
}

/**
 * The runs a sharded run consists of, in a single run's order: the main run, the Monte-Carlo-only run
 * (with uncertain parameters), then the sensitivity runs. For a later batch (replications from … R−1)
 * each extra run holds only the replications that its plan for R has beyond its plan for `from` (the
 * Monte-Carlo-only run's min(R, n), a sensitivity run's R when its replications are not fixed).
 */
export async function shardRuns(scenario: ScenarioFile, from: number, sensitivity: boolean): Promise<{ label: string; scenario: ScenarioFile; from: number }[]> {
  const extras = async (s: ScenarioFile) => {
    const out: { label: string; scenario: ScenarioFile }[] = [];
    const mc = await monteCarloOnlyScenario(s);
    if (mc) out.push({ label: 'monte carlo only', scenario: mc });
    const plan = sensitivity ? planSensitivity(s, s.replications, s.sensitivity?.replications) : undefined;
    if (plan) {
      const as = (l: LoadedScenario) => applyOverrides(l.scenario, { replications: plan.replications });
      for (const st of plan.steps) out.push({ label: `sensitivity ${st.parameter.parameter} = ${st.value}`, scenario: as(st.loaded) });
      if (plan.baseRerun) out.push({ label: 'sensitivity base', scenario: as(plan.baseRerun) });
    }
    return out;
  };
  const before = from > 0 ? await extras({ ...scenario, replications: from }) : [];
  const done = (x: ScenarioFile) => before.find((b) => baseHashOf(b.scenario) === baseHashOf(x))?.scenario.replications ?? 0;
  return [{ label: 'main', scenario, from }, ...(await extras(scenario)).map((x) => ({ ...x, from: Math.min(done(x.scenario), x.scenario.replications) })).filter((x) => x.from < x.scenario.replications)];
}

/** Run shard `opts.shard` of a scenario (its main run and, unless turned off, its sensitivity runs). */
export async function runShard(loaded: LoadedScenario, opts: ShardOptions): Promise<ShardResult> {
  const t0 = performance.now();
  if (opts.untilSE !== undefined) throw Errors.Usage('--shard cannot be combined with --until-se: the stopping point depends on every replication (run it on one machine, or with --queue)');
  if (opts.precision !== undefined) throw Errors.Usage('--shard cannot be combined with --precision: the stopping point depends on every replication (run it on one machine, or with --queue)');
  if (opts.checkpoint) throw Errors.Usage('--shard cannot be combined with --checkpoint or --resume: a shard is re-run whole (make shards smaller instead)');
  const scenario = applyOverrides(loaded.scenario, opts);
  const hash = scenarioHash(scenario);
  const workers = opts.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw Errors.BadFlag('workers', `must be a whole number from 1 to 256, got ${workers}`);
  const from = opts.firstReplication ?? 0;
  if (!Number.isInteger(from) || from < 0 || from >= scenario.replications) throw Errors.BadFlag('first-replication', `must be a whole number from 0 to ${scenario.replications - 1}, got ${from}`);
  const { index, count } = opts.shard;
  const sensitivity = opts.sensitivity !== false && scenario.sensitivity !== undefined;

  const planned = (await shardRuns(scenario, from, sensitivity)).map((r) => {
    const c = compile(r.scenario);
    const units = shardPlan(r.from, r.scenario.replications, c.region.blocks.length, count, r.label !== 'main')[index - 1];
    return { ...r, c, hash: scenarioHash(r.scenario), units };
  });
  const main = planned[0];
  const est = estimateMemory(main.c, new Set(main.units.map((u) => u.replication)).size, workers);
  const avail = opts.maxMemoryBytes ?? availableMemory();
  if (est.bytes > 0.9 * avail) {
    const GiB = 1024 ** 3;
    throw Errors.NotEnoughMemory(est.bytes / GiB, avail / GiB, Object.entries(est.parts).map(([k, v]) => `${k} ${(v / GiB).toFixed(2)}`).join(', '));
  }

  if (opts.signal?.aborted) throw Errors.Interrupted();
  const runner = createRunner(workers, { maxAttempts: opts.maxAttempts, onRetry: (t, attempt, e) => opts.onRetry?.(`replication ${t.replication} blocks ${t.from}–${t.to - 1}: attempt ${attempt} failed (${e.message}); retrying on a fresh worker`) });
  const onAbort = () => void runner.close();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const total = planned.reduce((a, r) => a + tasksFor(r.units, workers).length, 0);
  let doneUnits = 0;
  const runs: ShardRun[] = [];
  try {
    opts.onProgress?.(0, total);
    for (const r of planned) {
      const assembler = new ReplicationAssembler(r.scenario, r.hash, r.c);
      const results: ReplicationResult[] = [];
      await runUnits(runner, r.scenario, r.hash, tasksFor(r.units, workers), assembler, { signal: opts.signal, onSettled: (x) => results.push(x), onUnit: () => opts.onProgress?.(++doneUnits, total) });
      results.sort((a, b) => a.replication - b.replication);
      runs.push({ key: r.hash, label: r.label, replications: { from: r.from, to: r.scenario.replications }, blocks: r.c.region.blocks.length, units: r.units, scenario: r.scenario, results, partials: assembler.partials() });
    }
  } catch (e) {
    if (opts.signal?.aborted) throw Errors.Interrupted();
    throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await runner.close();
  }
  const header: ShardHeader = {
    fundcastShard: SHARD_FORMAT,
    checkpointFormat: CHECKPOINT_FORMAT,
    fundcastVersion: packageVersion(),
    scenario: scenario.name,
    seed: scenario.seed,
    scenarioHash: hash,
    baseHash: baseHashOf(scenario),
    shard: { index, count },
    replications: { from, to: scenario.replications },
    sensitivity,
    scenarioFiles: loaded.files,
    workers,
    wallSeconds: Math.round(((performance.now() - t0) / 1000) * 1000) / 1000,
    runs: runs.map(({ key, label, replications, blocks, units }) => ({ key, label, replications, blocks, units })),
  };
  return { header, runs };
}

/** The shard file's name: shard-K-of-N.jsonl (with the batch's replications when it does not start at 0). */
export function shardFileName(h: Pick<ShardHeader, 'shard' | 'replications'>): string {
  const batch = h.replications.from > 0 ? `-r${h.replications.from}-${h.replications.to - 1}` : '';
  return `shard-${h.shard.index}-of-${h.shard.count}${batch}.jsonl`;
}

/** The shard file's text (see the module comment). */
export function shardText(s: ShardResult): string {
  const lines = [JSON.stringify(s.header)];
  for (const r of s.runs) {
    lines.push(toJsonLine({ run: r.key, scenario: r.scenario }));
    for (const x of r.results) lines.push(toJsonLine({ run: r.key, result: x }));
    for (const p of r.partials) lines.push(toJsonLine({ run: r.key, partial: p }));
  }
  return lines.join('\n') + '\n';
}

/** Write the shard file into `dir` (atomically: a merge never reads half a shard). */
export function writeShard(dir: string, s: ShardResult): string {
  const path = join(dir, shardFileName(s.header));
  writeFileAtomic(path, shardText(s));
  return path;
}
