/**
 * What a reader of a run's results should be told besides the numbers: the opening balance read as
 * reserve months (a warning outside the plausible band: ledger/opening-balance.ts) and too few
 * replications for the percentiles and intervals shown. Written to summary.json (`openingBalance`,
 * `warnings`) and printed by the CLI and the report.
 */
import { checkOpening, type OpeningCheck } from '../ledger/opening-balance.ts';
import type { ReplicationResult } from '../ledger/results.ts';
import type { ScenarioFile } from '../params/schema.ts';

export interface RunWarning {
  /** Stable identifier: `opening-balance`, `few-replications`. */
  code: string;
  /** The parameter or flag it concerns, when there is one. */
  path?: string;
  message: string;
}

/** Replications needed before P5 and P95 rest on at least one replication beyond each (n × 5% ≥ 1). */
export const MIN_REPLICATIONS_FOR_P5_P95 = 20;

export interface RunChecks {
  openingBalance: OpeningCheck;
  warnings: RunWarning[];
}

/** `scenario`: as written (its region.scale and reserve-month bands). */
export function runChecks(scenario: ScenarioFile, reps: ReplicationResult[]): RunChecks {
  const first = reps.map((r) => r.models[0].years[0]);
  const opening = checkOpening(scenario, first.map((y) => y.ledger.openingBalanceFen), first.map((y) => y.fundOutlayFen));
  const warnings: RunWarning[] = [];
  if (opening.warning) warnings.push({ code: 'opening-balance', path: 'financing.openingBalance', message: opening.warning });
  const warning = fewReplications(reps.length);
  if (warning) warnings.push({ code: 'few-replications', path: 'replications', message: warning });
  return { openingBalance: { ...opening, warning: undefined }, warnings };
}

/** The warning for `n` replications, or undefined when they suffice for P5–P95. */
export function fewReplications(n: number): string | undefined {
  if (n >= MIN_REPLICATIONS_FOR_P5_P95) return undefined;
  if (n === 1) return 'a single replication: no percentile, interval or probability has any spread (P5 = P50 = P95); run at least 20 replications (--replications 200 for stable tails)';
  return `only ${n} replications: P5 and P95 are read off the extreme replications (≥ ${MIN_REPLICATIONS_FOR_P5_P95} are needed for one to lie beyond each), 95% intervals are wide and probabilities move in steps of ${(100 / n).toFixed(1)}%; run --replications 200 for stable tails`;
}
