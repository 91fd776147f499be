/**
 * Running a one-way sensitivity analysis: for each parameter of the scenario's `sensitivity`
 * section, the whole pipeline at its low and at its high value (same seed: common random numbers),
 * reporting the chosen output's mean. Results feed `summary.sensitivity` (a tornado chart).
 *
 * The runs are planned first (planSensitivity: a pure function of the scenario and the main run's
 * replications), then run one by one. A sharded run (shard.ts) runs each planned run's shard like the
 * main run's, and merge (merge.ts) computes the tornado from the merged runs with this same code, so a
 * sharded or queued run's `summary.sensitivity` is the single machine's.
 */
import type { LoadedScenario } from '../params/load.ts';
import { scenarioHash } from '../params/load.ts';
import type { ScenarioFile } from '../params/schema.ts';
import type { RunOptions } from './run-scenario.ts';
import { outputOf, sortRows, unitOf, type SensitivityResult } from '../risk/sensitivity.ts';
import type { ReplicationResult } from '../ledger/results.ts';
import { resolveTarget, setTarget } from '../params/uncertainty/path.ts';
import { revalidate } from '../params/uncertainty/apply.ts';

type Parameter = NonNullable<ScenarioFile['sensitivity']>['parameters'][number];

export interface SensitivityPlan {
  /** Each parameter at its low, then its high value. */
  steps: { parameter: Parameter; value: number; loaded: LoadedScenario }[];
  /** The base rerun on the sensitivity runs' replications, when the main run has fewer. */
  baseRerun?: LoadedScenario;
  /** Replications of each sensitivity run (undefined: the scenario's own). */
  replications?: number;
}

/** The runs of `scenario`'s sensitivity section, given the main run's replications; undefined without one. */
export function planSensitivity(scenario: ScenarioFile, mainReplications: number, replications: number | undefined): SensitivityPlan | undefined {
  const sens = scenario.sensitivity;
  if (!sens) return undefined;
  const steps: SensitivityPlan['steps'] = [];
  for (const p of sens.parameters) {
    for (const v of [p.low, p.high]) {
      const s = structuredClone(scenario);
      // The parameter is held at its low/high value: drop it from the uncertain ones (a draw would
      // overwrite it); the others stay uncertain, drawn exactly as in the base run.
      s.uncertainty = s.uncertainty.filter((u) => u.parameter !== p.parameter && !u.parameter.startsWith(p.parameter + '.') && !p.parameter.startsWith(u.parameter + '.'));
      delete s.sensitivity;
      const t = resolveTarget(s, p.parameter, p.apply);
      if (typeof t === 'string') throw new RangeError(t);
      setTarget(t, v, p.apply);
      const checked = revalidate(s, `sensitivity ${p.parameter} = ${v}`);
      steps.push({ parameter: p, value: v, loaded: { scenario: checked, files: [], hash: scenarioHash(checked) } });
    }
  }
  // The base on the same replications as the low/high runs, so every bar is a paired comparison
  // (rerun when the main run had fewer replications than the sensitivity runs).
  let baseRerun: LoadedScenario | undefined;
  if (mainReplications < (replications ?? mainReplications)) {
    const s = structuredClone(scenario);
    delete s.sensitivity;
    baseRerun = { scenario: s, files: [], hash: scenarioHash(s) };
  }
  return { steps, baseRerun, replications };
}

export async function runSensitivity(
  scenario: ScenarioFile,
  base: ReplicationResult[],
  run: (loaded: LoadedScenario, opts: RunOptions) => Promise<{ replications: ReplicationResult[] }>,
  opts: RunOptions,
  onStep?: (done: number, total: number, what: string) => void,
): Promise<SensitivityResult | undefined> {
  const plan = planSensitivity(scenario, base.length, opts.replications);
  const sens = scenario.sensitivity;
  if (!plan || !sens) return undefined;
  const model = sens.model ?? scenario.paymentModels[0].name;
  const mi = scenario.paymentModels.findIndex((m) => m.name === model);
  const out: number[] = [];
  for (const [i, step] of plan.steps.entries()) {
    onStep?.(i, plan.steps.length, `${step.parameter.parameter} = ${step.value}`);
    const res = await run(step.loaded, { ...opts, onProgress: undefined, collective: false });
    out.push(outputOf(res.replications, mi, sens.output, sens.year));
  }
  onStep?.(plan.steps.length, plan.steps.length, 'done');
  const rows = sens.parameters.map((p, i) => {
    const [low, high] = [out[2 * i], out[2 * i + 1]];
    return { parameter: p.parameter, low: p.low, high: p.high, apply: p.apply, outputLow: low, outputHigh: high, swing: Math.abs(high - low), source: p.source };
  });
  const nSens = opts.replications ?? base.length;
  const baseSame = plan.baseRerun ? (await run(plan.baseRerun, { ...opts, onProgress: undefined, collective: false })).replications : base.filter((r) => r.replication < nSens);
  return { output: sens.output, year: sens.year, model, unit: unitOf(sens.output), replications: baseSame.length, base: outputOf(baseSame, mi, sens.output, sens.year), rows: sortRows(rows) };
}
