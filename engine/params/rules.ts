/**
 * Scenario rules a schema cannot express, one area per file under checks/. Each returns the path of the offending parameter and
 * the rule in words; `load.ts` adds the file and line.
 */
import { firstOfMonth } from './dated.ts';
import type { ScenarioFile } from './schema.ts';
import { specPart } from '../payment/specs.ts';
import type { RuleIssue } from './dated-checks.ts';
import { checkDatedCoverage } from './checks/dated-coverage.ts';
import { checkConditionKeys } from './checks/conditions.ts';
import { checkShares, checkUtilizationRules } from './checks/utilization.ts';
import { checkNamesAndModels } from './checks/names.ts';
import { checkAnalysisTargets, checkLedgerAndHorizon } from './checks/analysis.ts';

export type { RuleIssue };

/**
 * Years simulated before the horizon because payment models look back on them: capitation's
 * per-capita amount (historyYears, default 3), a points budget based on last year's payments (1).
 */
export function historyYearsNeeded(s: ScenarioFile): number {
  return Math.max(0, ...s.paymentModels.map((m) => specPart(m.type).historyYears(m, s)));
}

/** The first simulated year: the horizon's start, less the history years payment models need. */
export function firstSimulatedYear(s: ScenarioFile): number {
  return s.horizon.startYear - historyYearsNeeded(s);
}

/** Every rule a schema cannot express, in a fixed order (the order errors are listed in). */
export function checkScenarioRules(s: ScenarioFile): RuleIssue[] {
  const first = firstOfMonth(firstSimulatedYear(s), 1);
  return [
    ...checkDatedCoverage(s, first),
    ...checkConditionKeys(s),
    ...checkUtilizationRules(s),
    ...checkShares(s),
    ...checkNamesAndModels(s),
    ...checkAnalysisTargets(s),
    ...checkLedgerAndHorizon(s),
  ];
}
