/**
 * One-way sensitivity analysis: the output of interest at each parameter's low and high value, all
 * else at base, on the same seed (common random numbers). Rows sorted by swing, for a tornado chart.
 */
import { mean } from 'simple-statistics';
import { fenToYuan } from '../money/fen.ts';
import type { ReplicationResult } from '../ledger/results.ts';

export type SensitivityOutput = 'fundOutlay' | 'closingBalance' | 'patientOutOfPocket' | 'reserveMonths';

export interface SensitivityRow {
  parameter: string;
  low: number;
  high: number;
  apply: 'value' | 'factor';
  outputLow: number;
  outputHigh: number;
  /** |outputHigh − outputLow| */
  swing: number;
  source?: string;
}

export interface SensitivityResult {
  output: SensitivityOutput;
  /** A horizon year, or "horizon": the total over the horizon (the last year for balances and reserve months). */
  year: number | 'horizon';
  model: string;
  unit: string;
  /** Replications of each run (the base is taken on the same replications). */
  replications: number;
  base: number;
  rows: SensitivityRow[];
}

/** The mean across replications of `output` for `model` (index) in `year`. */
export function outputOf(reps: ReplicationResult[], mi: number, output: SensitivityOutput, year: number | 'horizon'): number {
  const per = reps.map((r) => {
    const ys = r.models[mi].years;
    const pick = year === 'horizon' ? null : ys.find((y) => y.year === year);
    if (year !== 'horizon' && !pick) throw new RangeError(`year ${year} is not in the horizon`);
    switch (output) {
      case 'fundOutlay':
        return fenToYuan(pick ? pick.fundOutlayFen : ys.reduce((a, y) => a + y.fundOutlayFen, 0));
      case 'patientOutOfPocket':
        return fenToYuan(pick ? pick.patientFen : ys.reduce((a, y) => a + y.patientFen, 0));
      case 'closingBalance':
        return fenToYuan((pick ?? ys[ys.length - 1]).ledger.closingBalanceFen);
      case 'reserveMonths':
        return (pick ?? ys[ys.length - 1]).ledger.reserveMonths;
    }
  });
  return mean(per);
}

export function unitOf(output: SensitivityOutput): string {
  return output === 'reserveMonths' ? 'months' : 'yuan';
}

export function sortRows(rows: SensitivityRow[]): SensitivityRow[] {
  return [...rows].sort((a, b) => b.swing - a.swing || a.parameter.localeCompare(b.parameter));
}
