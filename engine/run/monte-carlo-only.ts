/**
 * Fund risk with Monte Carlo noise alone, beside the risk with parameter uncertainty (docs/risk.md):
 * the same scenario with its uncertain parameters held at their stated values, on the same seed
 * (common random numbers), over `risk.monteCarloOnlyReplications` replications. The difference
 * between the two says how much of a ruin probability or VaR comes from what we do not know about the
 * parameters, and how much from chance alone.
 */
import type { LoadedScenario } from '../params/load.ts';
import { scenarioHash } from '../params/load.ts';
import type { ScenarioFile } from '../params/schema.ts';
import type { ReplicationResult } from '../ledger/results.ts';
import { fundRisk, type FundRisk } from '../risk/fund-risk.ts';
import type { RunOptions } from './run-scenario.ts';

export interface MonteCarloOnly {
  replications: number;
  models: { name: string; risk: FundRisk }[];
}

export async function runMonteCarloOnly(
  scenario: ScenarioFile,
  run: (loaded: LoadedScenario, opts: RunOptions) => Promise<{ replications: ReplicationResult[] }>,
  opts: RunOptions,
): Promise<MonteCarloOnly | undefined> {
  if (scenario.uncertainty.length === 0) return undefined;
  const s = structuredClone(scenario);
  s.uncertainty = [];
  delete s.sensitivity;
  s.replications = Math.min(scenario.replications, scenario.risk.monteCarloOnlyReplications);
  const res = await run({ scenario: s, files: [], hash: scenarioHash(s) }, { ...opts, replications: s.replications, untilSE: undefined, precision: undefined, checkpoint: undefined, onProgress: undefined, collective: false });
  return {
    replications: res.replications.length,
    models: s.paymentModels.map((m, mi) => ({ name: m.name, risk: fundRisk(res.replications.map((r) => r.models[mi].years), s.risk.levels, s.risk.minTailReplications, true) })),
  };
}
