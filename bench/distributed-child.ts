/**
 * The distributed part of the bench (`npm run bench -- --only distributed`), in a process of its own
 * (its peak RSS is its own): one shard of a province-scale run, measured phase by phase, then merged.
 * Usage: node --import tsx bench/distributed-child.ts '<json DistributedChildConfig>'; prints one JSON
 * line (DistributedChildResult).
 *
 * The province is `payment-comparison` (the default region with FFS, capitation and points on common
 * random numbers) with every county's residents multiplied so that the cohort (registered chronic
 * patients active in the horizon's first year) is `cohortTarget`. The shard measured is shard 1/1 of
 * `replications` replications: replications 0 … replications−1, the same work units as shard 1 of a
 * province run of 100 × that many replications cut 100 ways (units.ts: a shard's units depend only
 * on the replications it holds).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, loadScenario, writeResults, type LoadedScenario } from '../engine/index.ts';
import { synthesizeBlock } from '../engine/population/synthesize.ts';
import { runShard, writeShard } from '../engine/run/shard.ts';
import { mergeShards } from '../engine/run/merge.ts';

export interface DistributedChildConfig {
  cohortTarget: number;
  replications: number;
  workers: number;
}

export interface DistributedChildResult {
  config: DistributedChildConfig;
  defaultCohort: number;
  residentsScale: number;
  residents: number;
  blocks: number;
  facilities: number;
  /** Mean patients in the horizon's first year over the shard's replications. */
  cohort: number;
  horizonYears: number;
  /** Seconds from process start to main() (Node, tsx, importing the engine). */
  startupSeconds: number;
  /** Building the province's region and parameters once (every shard and the merge pay it). */
  compileSeconds: number;
  /** runShard end to end (its own compile, the pool's start, the simulation, settlement). */
  shardSeconds: number;
  /** CPU seconds of runShard, all threads: less sensitive than wall time to other load on the machine. */
  shardCpuSeconds: number;
  writeShardSeconds: number;
  shardFileBytes: number;
  /** mergeShards on the shard file (read, parse, check, compile for the facility list, summarize). */
  mergeSeconds: number;
  writeResultsSeconds: number;
  maxRssBytes: number;
  cpuSeconds: number;
}

/** Cohort of replication 0 (patients active in the horizon's first year), from synthesis alone. */
function cohortOf(l: LoadedScenario): number {
  const c = compile(l.scenario);
  let n = 0;
  for (let b = 0; b < c.region.blocks.length; b++) {
    const pop = synthesizeBlock(c, 0, b);
    for (let p = 0; p < pop.n; p++) if (pop.entry[p] <= c.horizonStart && pop.exit[p] > c.horizonStart) n++;
  }
  return n;
}

function scaled(l: LoadedScenario, k: number): LoadedScenario {
  const region = l.scenario.region;
  return { ...l, scenario: { ...l.scenario, region: { ...region, counties: region.counties.map((c) => ({ ...c, residents: Math.round(c.residents * k) })) } } };
}

async function main(): Promise<void> {
  const startupSeconds = performance.now() / 1000;
  const cfg = JSON.parse(process.argv[2]) as DistributedChildConfig;
  const base = loadScenario('payment-comparison');
  const defaultCohort = cohortOf(base);
  const k = cfg.cohortTarget / defaultCohort;
  const province = scaled(base, k);
  let t = performance.now();
  const c = compile(province.scenario);
  const compileSeconds = (performance.now() - t) / 1000;
  const dir = mkdtempSync(join(tmpdir(), 'fundcast-bench-distributed-'));
  try {
    t = performance.now();
    const cpu0 = process.cpuUsage();
    const shard = await runShard(province, { replications: cfg.replications, workers: cfg.workers, shard: { index: 1, count: 1 } });
    const shardSeconds = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const shardCpuSeconds = (cpu.user + cpu.system) / 1e6;
    t = performance.now();
    const file = writeShard(join(dir, 'shards'), shard);
    const writeShardSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const merged = await mergeShards([join(dir, 'shards')]);
    const mergeSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    writeResults(join(dir, 'results'), merged.result, { scenarioFiles: [] });
    const writeResultsSeconds = (performance.now() - t) / 1000;
    const reps = merged.result.replications;
    const ru = process.resourceUsage();
    const out: DistributedChildResult = {
      config: cfg,
      defaultCohort,
      residentsScale: k,
      residents: province.scenario.region.counties.reduce((a, x) => a + x.residents, 0),
      blocks: c.region.blocks.length,
      facilities: c.region.facilities.length,
      cohort: reps.reduce((a, r) => a + r.models[0].years[0].patients, 0) / reps.length,
      horizonYears: c.horizonYears.length,
      startupSeconds,
      compileSeconds,
      shardSeconds,
      shardCpuSeconds,
      writeShardSeconds,
      shardFileBytes: statSync(file).size,
      mergeSeconds,
      writeResultsSeconds,
      maxRssBytes: ru.maxRSS * 1024,
      cpuSeconds: (ru.userCPUTime + ru.systemCPUTime) / 1e6,
    };
    process.stdout.write(JSON.stringify(out) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
