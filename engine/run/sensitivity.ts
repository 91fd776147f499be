/**
 * Running a one-way sensitivity analysis: for each parameter of the scenario's `sensitivity`
 * section, the whole pipeline at its low and at its high value (same seed: common random numbers),
 * reporting the chosen output's mean. Results feed `summary.sensitivity` (a tornado chart).
 */
import type { LoadedScenario } from '../params/load.ts';
import { scenarioHash } from '../params/load.ts';
import type { ScenarioFile } from '../params/schema.ts';
import type { RunOptions } from './run-scenario.ts';
import { outputOf, sortRows, unitOf, type SensitivityResult } from '../risk/sensitivity.ts';
import type { ReplicationResult } from '../ledger/results.ts';
import { resolveTarget, setTarget } from '../params/uncertainty/path.ts';
import { revalidate } from '../params/uncertainty/apply.ts';

export async function runSensitivity(
  scenario: ScenarioFile,
  base: ReplicationResult[],
  run: (loaded: LoadedScenario, opts: RunOptions) => Promise<{ replications: ReplicationResult[] }>,
  opts: RunOptions,
  onStep?: (done: number, total: number, what: string) => void,
): Promise<SensitivityResult | undefined> {
  const sens = scenario.sensitivity;
  if (!sens) return undefined;
  const model = sens.model ?? scenario.paymentModels[0].name;
  const mi = scenario.paymentModels.findIndex((m) => m.name === model);
  const rows = [];
  let step = 0;
  const total = sens.parameters.length * 2;
  for (const p of sens.parameters) {
    const out: number[] = [];
    for (const v of [p.low, p.high]) {
      onStep?.(step++, total, `${p.parameter} = ${v}`);
      const s = structuredClone(scenario);
      // The parameter is held at its low/high value: drop it from the uncertain ones (a draw would
      // overwrite it); the others stay uncertain, drawn exactly as in the base run.
      s.uncertainty = s.uncertainty.filter((u) => u.parameter !== p.parameter && !u.parameter.startsWith(p.parameter + '.') && !p.parameter.startsWith(u.parameter + '.'));
      delete s.sensitivity;
      const t = resolveTarget(s, p.parameter, p.apply);
      if (typeof t === 'string') throw new RangeError(t);
      setTarget(t, v, p.apply);
      const checked = revalidate(s, `sensitivity ${p.parameter} = ${v}`);
      const res = await run({ scenario: checked, files: [], hash: scenarioHash(checked) }, { ...opts, onProgress: undefined });
      out.push(outputOf(res.replications, mi, sens.output, sens.year));
    }
    rows.push({ parameter: p.parameter, low: p.low, high: p.high, apply: p.apply, outputLow: out[0], outputHigh: out[1], swing: Math.abs(out[1] - out[0]), source: p.source });
  }
  onStep?.(total, total, 'done');
  // The base on the same replications as the low/high runs, so every bar is a paired comparison
  // (rerun when the main run had fewer replications than the sensitivity runs).
  const nSens = opts.replications ?? base.length;
  let baseSame = base.filter((r) => r.replication < nSens);
  if (baseSame.length < nSens) {
    const s = structuredClone(scenario);
    delete s.sensitivity;
    baseSame = (await run({ scenario: s, files: [], hash: scenarioHash(s) }, { ...opts, onProgress: undefined })).replications;
  }
  return { output: sens.output, year: sens.year, model, unit: unitOf(sens.output), replications: baseSame.length, base: outputOf(baseSame, mi, sens.output, sens.year), rows: sortRows(rows) };
}
