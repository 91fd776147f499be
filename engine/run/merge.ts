/**
 * `fundcast merge SHARD_DIR... --out DIR`: shard files (shard.ts) combined into the run one machine
 * would have made. Replications held whole are taken as they are; replications split across
 * shards have their blocks' aggregates summed and are settled here (assemble.ts, the same code a
 * single run uses); the summary, the facility list and the sensitivity analysis are computed from
 * the merged replications with the single run's code. So summary.json, replications.csv and
 * facilities.csv are byte-identical to `fundcast run` with the same seed and replications.
 *
 * Merge refuses, with one line naming the files: shards of different scenarios, seeds, fundcast
 * versions (or of another version than this merge), with and without the sensitivity runs, two
 * shards holding the same work (overlap), and missing shards.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FundcastError } from '../errors.ts';
import type { ReplicationResult } from '../ledger/results.ts';
import { scenarioHash } from '../params/load.ts';
import type { ScenarioFile } from '../params/schema.ts';
import { packageVersion } from '../report/write-results.ts';
import { ReplicationAssembler, type PartialReplication } from './assemble.ts';
import { CHECKPOINT_FORMAT, fromJsonLine } from './checkpoint.ts';
import { applyOverrides, facilityList, type RunOptions, type RunResult } from './run-scenario.ts';
import { runMonteCarloOnly } from './monte-carlo-only.ts';
import type { LoadedScenario } from '../params/load.ts';
import { runSensitivity } from './sensitivity.ts';
import { baseHashOf, SHARD_FORMAT, type ShardHeader } from './shard.ts';
import { compile } from './simulate.ts';
import { summarize } from './summarize.ts';
import { parameterControls } from '../risk/control-variates.ts';
import { runChecks } from './run-checks.ts';
import { describeUnit, describeUnits, shardPlan } from './units.ts';

const refuse = (why: string) => new FundcastError('ERR_MERGE', why);

export interface ShardFile {
  file: string;
  header: ShardHeader;
  scenarios: Map<string, ScenarioFile>;
  results: Map<string, ReplicationResult[]>;
  partials: Map<string, PartialReplication[]>;
}

/** The shard files named: files as they are, directories' shard-*.jsonl (sorted). */
export function shardFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw refuse(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const found = readdirSync(p).filter((f) => /^shard-.*\.jsonl$/.test(f)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      if (found.length === 0) throw refuse(`${p}: no shard files (shard-K-of-N.jsonl) in this directory`);
      out.push(...found.map((f) => join(p, f)));
    } else out.push(p);
  }
  return [...new Set(out)];
}

export function readShardFile(file: string): ShardFile {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  let header: ShardHeader;
  try {
    header = JSON.parse(lines[0] ?? '') as ShardHeader;
  } catch {
    throw refuse(`${file}: not a fundcast shard file (its first line is not a shard header)`);
  }
  if (typeof header !== 'object' || header === null || header.fundcastShard === undefined) throw refuse(`${file}: not a fundcast shard file (its first line is not a shard header)`);
  if (header.fundcastShard !== SHARD_FORMAT || header.checkpointFormat !== CHECKPOINT_FORMAT) {
    throw refuse(`${file}: shard format ${header.fundcastShard} (fundcast ${header.fundcastVersion}) cannot be read by fundcast ${packageVersion()}: merge it with the version that wrote it`);
  }
  const sf: ShardFile = { file, header, scenarios: new Map(), results: new Map(), partials: new Map() };
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
  for (let i = 1; i < lines.length; i++) {
    let x: { run?: string; scenario?: ScenarioFile; result?: ReplicationResult; partial?: PartialReplication };
    try {
      x = fromJsonLine(lines[i]) as typeof x;
    } catch {
      throw refuse(`${file}:${i + 1}: not valid JSON (a damaged or cut-short shard file: run that shard again)`);
    }
    if (typeof x?.run !== 'string' || !header.runs.some((r) => r.key === x.run)) throw refuse(`${file}:${i + 1}: a line of no run named in the header (a damaged shard file: run that shard again)`);
    if (x.scenario) sf.scenarios.set(x.run, x.scenario);
    else if (x.result) push(sf.results, x.run, x.result);
    else if (x.partial) push(sf.partials, x.run, x.partial);
    else throw refuse(`${file}:${i + 1}: neither a scenario, a result nor a partial replication (a damaged shard file)`);
  }
  for (const r of header.runs) if (!sf.scenarios.has(r.key)) throw refuse(`${file}: the scenario of run "${r.label}" is missing (a damaged or cut-short shard file: run that shard again)`);
  return sf;
}

/** A path as the user would write it: relative to the working directory when inside it. */
const shown = (p: string) => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};
const span = (a: number, b: number) => (b - a === 1 ? `${a}` : `${a}–${b - 1}`);
const shardName = (h: ShardHeader) => `shard ${h.shard.index}/${h.shard.count}${h.replications.from > 0 ? ` of replications ${span(h.replications.from, h.replications.to)}` : ''}`;

/** Check that the shards belong to one run and cover it exactly once; returns the replication count. */
export function checkShards(shards: ShardFile[]): number {
  const name = (s: ShardFile) => shown(s.file);
  const [a, ...rest] = shards;
  const version = packageVersion();
  if (a.header.fundcastVersion !== version) throw refuse(`${name(a)} was written by fundcast ${a.header.fundcastVersion} and this is fundcast ${version}: merge shards with the version that ran them (results of two versions may differ)`);
  for (const b of rest) {
    const h = a.header;
    const k = b.header;
    if (k.fundcastVersion !== h.fundcastVersion) throw refuse(`${name(a)} and ${name(b)} were written by different fundcast versions (${h.fundcastVersion} and ${k.fundcastVersion}): run every shard with one version`);
    if (k.scenario !== h.scenario) throw refuse(`${name(a)} and ${name(b)} are shards of different scenarios ("${h.scenario}" and "${k.scenario}")`);
    if (k.seed !== h.seed) throw refuse(`${name(a)} and ${name(b)} were run with different seeds (${h.seed} and ${k.seed})`);
    if (k.baseHash !== h.baseHash) throw refuse(`${name(a)} and ${name(b)} are shards of different scenarios or options (scenario hash ${h.baseHash.slice(0, 12)} and ${k.baseHash.slice(0, 12)}: same name and seed, but a parameter, --years or a file differs)`);
    if (k.sensitivity !== h.sensitivity) throw refuse(`${name(a)} and ${name(b)} differ in the sensitivity runs (${h.sensitivity ? 'included' : 'not included'} and ${k.sensitivity ? 'included' : 'not included'}: run every shard with or every shard without --no-sensitivity)`);
  }
  // Each batch (replications [from, to) cut N ways) needs each of its N shards exactly once, and the
  // batches must join up into replications 0 … R−1, each once.
  const batches = new Map<string, ShardFile[]>();
  for (const s of shards) {
    const key = `${s.header.replications.from}-${s.header.replications.to}-${s.header.shard.count}`;
    (batches.get(key) ?? batches.set(key, []).get(key)!).push(s);
  }
  const groups = [...batches.values()].sort((x, y) => x[0].header.replications.from - y[0].header.replications.from || x[0].header.shard.count - y[0].header.shard.count);
  for (const group of groups) {
    const byIndex = new Map<number, ShardFile>();
    for (const s of group) {
      const twin = byIndex.get(s.header.shard.index);
      if (twin) throw refuse(`${name(twin)} and ${name(s)} are both ${shardName(s.header)}: their replications would be counted twice (pass each shard once)`);
      byIndex.set(s.header.shard.index, s);
    }
  }
  let next = 0;
  for (const [i, g] of groups.entries()) {
    const r = g[0].header.replications;
    if (r.from < next) {
      const other = groups.slice(0, i).find((x) => x[0].header.replications.to > r.from)!;
      throw refuse(`${name(other[0])} (${shardName(other[0].header)}) and ${name(g[0])} (${shardName(g[0].header)}) hold the same replications ${span(r.from, Math.min(next, r.to))}, cut into shards two ways: their replications would be counted twice`);
    }
    if (r.from > next) throw refuse(`no shard holds replications ${span(next, r.from)} (the shards found hold ${groups.map((x) => span(x[0].header.replications.from, x[0].header.replications.to)).join(', ')}): merge needs every replication from 0`);
    next = r.to;
  }
  for (const group of groups) {
    const h = group[0].header;
    const have = new Set(group.map((s) => s.header.shard.index));
    const missing = Array.from({ length: h.shard.count }, (_, i) => i + 1).filter((i) => !have.has(i));
    if (missing.length) {
      const nB = h.runs[0].blocks;
      const plan = shardPlan(h.replications.from, h.replications.to, nB, h.shard.count);
      const what = missing.slice(0, 3).map((i) => `${i}/${h.shard.count} (${describeUnits(plan[i - 1], nB)})`);
      const found = group.slice(0, 3).map(name).join(', ') + (group.length > 3 ? ` and ${group.length - 3} more` : '');
      throw refuse(`missing shard${missing.length > 1 ? 's' : ''} ${what.join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}: all ${h.shard.count} shards of replications ${span(h.replications.from, h.replications.to)} are needed (found ${found})`);
    }
  }
  return next;
}

export interface MergedRun {
  result: RunResult;
  scenarioFiles: string[];
  shards: { file: string; shard: string; workers: number; wallSeconds: number }[];
}

/** Merge shard files (or directories of them) into one run's result. */
export async function mergeShards(paths: string[]): Promise<MergedRun> {
  const t0 = performance.now();
  const shards = shardFiles(paths).map(readShardFile);
  const R = checkShards(shards);
  const first = shards.find((s) => s.header.replications.from === 0)!;
  const mainKey = first.header.runs[0].key;
  const scenario = { ...first.scenarios.get(mainKey)!, replications: R };
  const hash = scenarioHash(scenario);

  // Every run's replications, by run: the main run, and each extra run by its hash without the
  // replication count (a later batch adds replications to it).
  const runKey = (s: ShardFile, key: string) => (key === s.header.runs[0].key ? 'main' : baseHashOf(s.scenarios.get(key)!));
  const merged = new Map<string, { scenario: ScenarioFile; results: Map<number, { r: ReplicationResult; file: string }>; assembler?: ReplicationAssembler; c?: ReturnType<typeof compile> }>();
  const where = new Map<string, string>(); // run:replication:block → file, to name overlaps
  for (const s of shards) {
    for (const info of s.header.runs) {
      const k = runKey(s, info.key);
      const sc = k === 'main' ? scenario : s.scenarios.get(info.key)!;
      const m = merged.get(k) ?? merged.set(k, { scenario: sc, results: new Map() }).get(k)!;
      for (const u of info.units) {
        const id = `${k}:${u.replication}:${u.from}`;
        const other = where.get(id);
        if (other) throw refuse(`${shown(other)} and ${shown(s.file)} both hold ${info.label === 'main' ? '' : `${info.label}: `}${describeUnit(u)}`);
        where.set(id, s.file);
      }
      for (const r of s.results.get(info.key) ?? []) m.results.set(r.replication, { r, file: s.file });
      for (const p of s.partials.get(info.key) ?? []) {
        if (!m.assembler) {
          m.c = compile(m.scenario);
          m.assembler = new ReplicationAssembler(m.scenario, k === 'main' ? hash : scenarioHash(m.scenario), m.c);
        }
        const done = m.assembler.add(p.replication, p.blocks, p.agg);
        if (done) m.results.set(done.replication, { r: done, file: s.file });
      }
    }
  }
  const replicationsOf = (k: string, n: number): ReplicationResult[] => {
    const m = merged.get(k);
    const out: ReplicationResult[] = [];
    for (let r = 0; r < n; r++) {
      const x = m?.results.get(r);
      if (!x) throw refuse(`replication ${r} of ${k === 'main' ? 'the main run' : 'an extra run (Monte Carlo only, or sensitivity)'} is in no shard file, or only some of its blocks are (the shard files do not fit together: were they written by this fundcast version's plan?)`);
      out.push(x.r);
    }
    return out;
  };
  const replications = replicationsOf('main', R);
  const c = merged.get('main')!.c ?? compile(scenario);
  const result: RunResult = {
    scenario,
    hash,
    replications,
    summary: summarize(replications, scenario.risk, parameterControls(scenario)),
    checks: runChecks(scenario, replications),
    wallSeconds: (performance.now() - t0) / 1000,
    workers: shards.reduce((a, s) => a + s.header.workers, 0),
    facilities: facilityList(c),
  };
  // The extra runs, in a single run's order and with its own code, fed the merged runs instead of
  // simulating them.
  const lookup = (what: string) => async (l: LoadedScenario, o: RunOptions) => {
    const s = applyOverrides(l.scenario, o);
    const key = baseHashOf(s);
    if (!merged.has(key)) throw refuse(`the shard files hold no ${what} run for ${l.scenario.name} (hash ${scenarioHash(s).slice(0, 12)}): were they run by another fundcast version's plan?`);
    return { replications: replicationsOf(key, s.replications) };
  };
  if (scenario.uncertainty.length) result.summary.monteCarloOnly = await runMonteCarloOnly(scenario, lookup('Monte-Carlo-only'), {});
  if (first.header.sensitivity && scenario.sensitivity) result.summary.sensitivity = await runSensitivity(scenario, replications, lookup('sensitivity'), { replications: scenario.sensitivity.replications });
  return {
    result,
    scenarioFiles: first.header.scenarioFiles,
    shards: shards.map((s) => ({ file: s.file, shard: `${s.header.shard.index}/${s.header.shard.count}`, workers: s.header.workers, wallSeconds: s.header.wallSeconds })),
  };
}
