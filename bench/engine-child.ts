/**
 * One configuration of the full-engine benchmark, run in a process of its own so that its peak
 * resident set size (process.resourceUsage().maxRSS, which covers the worker threads too) belongs
 * to it alone. Usage: node --import tsx bench/engine-child.ts '<json EngineChildConfig>'.
 * Prints one JSON line (EngineChildResult).
 *
 * Each configuration runs runScenario twice: `warmReps` replications (JIT warm-up; its time is the
 * fixed cost plus that many replications) and then `reps` replications, timed. The marginal rate
 * (reps − warmReps) / (t − tWarm) excludes what does not grow with replications (compiling the
 * scenario, starting the worker pool, JIT warm-up of fresh worker threads).
 */
import { compile, loadScenario, runScenario, simulatedYears, type Compiled, type LoadedScenario, type RunResult } from '../engine/index.ts';
import { synthesizeBlock } from '../engine/population/synthesize.ts';

export interface EngineChildConfig {
  /** Embedded scenario name. */
  scenario: string;
  /** Payment models of the scenario to keep (by name); all when absent. */
  models?: string[];
  workers: number;
  warmReps: number;
  reps: number;
  /** Only load and compile (baseline memory). */
  baseline?: boolean;
  /** Multiply every county's residents by this (a larger city: more townships, facilities and patients). */
  residentsScale?: number;
}

export interface EngineRunCounts {
  replications: number;
  wallSeconds: number;
  /** Σ over replications and horizon years of active patients (summary `patients`). */
  horizonPatientYears: number;
  /**
   * History patient-years simulated for capitation/points: each block's patients over its history
   * years from `paymentFirstYear` (blocks outside a capitation pilot skip what only capitation reads;
   * counted once, as `horizonPatientYears`, however many variants).
   */
  historyPatientYears: number;
  /** Outpatient visits in the horizon (first model). */
  horizonVisits: number;
}

export interface EngineChildResult {
  config: EngineChildConfig;
  models: string[];
  horizonYears: number;
  historyYears: number;
  /** Utilization variants simulated per block (1 when every model's behaviour is neutral). */
  variants: number;
  /** Mean patients in the horizon's first year. */
  cohort: number;
  warm?: EngineRunCounts;
  timed?: EngineRunCounts;
  /** Seconds from process start to main() (Node start, tsx, importing the engine): what each worker thread also pays. */
  startupSeconds: number;
  maxRssBytes: number;
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
}

/** Patient-years the pipeline simulates in history years for replication `rep` (counted, not timed). */
function historyPatientYears(c: Compiled, rep: number): number {
  let n = 0;
  const nB = c.region.blocks.length;
  for (let b = 0; b < nB; b++) {
    const pop = synthesizeBlock(c, rep, b);
    const first = Math.min(...c.variants.map((_, v) => c.paymentFirstYear[v * nB + b]));
    for (let p = 0; p < pop.n; p++) {
      const y0 = Math.max(pop.entry[p], first);
      const y1 = Math.min(pop.exit[p], c.horizonStart);
      if (y1 > y0) n += y1 - y0;
    }
  }
  return n;
}

function counts(r: RunResult, c: Compiled): EngineRunCounts {
  let horizon = 0;
  let history = 0;
  let visits = 0;
  for (const rep of r.replications) {
    const ys = rep.models[0].years;
    for (const y of ys) {
      horizon += y.patients;
      visits += y.visits;
    }
    history += historyPatientYears(c, rep.replication);
  }
  return { replications: r.replications.length, wallSeconds: r.wallSeconds, horizonPatientYears: horizon, historyPatientYears: history, horizonVisits: visits };
}

function scenarioFor(cfg: EngineChildConfig): LoadedScenario {
  let loaded = loadScenario(cfg.scenario);
  const k = cfg.residentsScale ?? 1;
  if (k !== 1) {
    const region = loaded.scenario.region;
    loaded = { ...loaded, scenario: { ...loaded.scenario, region: { ...region, counties: region.counties.map((c) => ({ ...c, residents: Math.round(c.residents * k) })) } } };
  }
  if (!cfg.models) return loaded;
  const keep = loaded.scenario.paymentModels.filter((m) => cfg.models!.includes(m.name));
  if (keep.length !== cfg.models.length) throw new Error(`scenario ${cfg.scenario} lacks some of the models ${cfg.models.join(', ')}`);
  // Uncertainty entries that name a model left out go with it (the others still draw).
  const names = new Set(keep.map((m) => m.name));
  const uncertainty = loaded.scenario.uncertainty.filter((u) => !u.parameter.startsWith('paymentModels.') || names.has(u.parameter.split('.')[1]));
  return { ...loaded, scenario: { ...loaded.scenario, paymentModels: keep, uncertainty } };
}

async function main(): Promise<void> {
  const startupSeconds = performance.now() / 1000;
  const cfg = JSON.parse(process.argv[2]) as EngineChildConfig;
  const loaded = scenarioFor(cfg);
  const s = loaded.scenario;
  const c = compile(s);
  const years = simulatedYears(s);
  const historyYears = years.length - s.horizon.years;
  const out: EngineChildResult = {
    config: cfg,
    models: s.paymentModels.map((m) => m.name),
    horizonYears: s.horizon.years,
    historyYears,
    variants: c.variants.length,
    cohort: NaN,
    startupSeconds,
    maxRssBytes: 0,
    cpuUserSeconds: 0,
    cpuSystemSeconds: 0,
  };
  if (!cfg.baseline) {
    const w = await runScenario(loaded, { replications: cfg.warmReps, workers: cfg.workers });
    out.warm = counts(w, c);
    const t = await runScenario(loaded, { replications: cfg.reps, workers: cfg.workers });
    out.timed = counts(t, c);
    out.cohort = t.replications.reduce((a, r) => a + r.models[0].years[0].patients, 0) / t.replications.length;
  }
  const ru = process.resourceUsage();
  out.maxRssBytes = ru.maxRSS * 1024;
  out.cpuUserSeconds = ru.userCPUTime / 1e6;
  out.cpuSystemSeconds = ru.systemCPUTime / 1e6;
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
