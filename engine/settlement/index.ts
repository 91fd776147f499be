/**
 * Settlement rules (DESIGN.md F1–F3): pure functions, integer fen, no I/O, no randomness.
 * Capitation: per-capita amount → budget → surplus retention / overspend sharing.
 * Points: point value, payment by points, DIP weights and outlier coefficients, monthly
 * pre-settlement and year-end clearing.
 */
export { perCapitaAmount } from './capitation-rate.ts';
export type { CapitationHistoryYear } from './capitation-rate.ts';
export { capitationBudget, checkWuhuMatchingShare, WUHU_MIN_MATCHING_SHARE } from './capitation-budget.ts';
export type { CapitationBudget, CapitationBudgetInput } from './capitation-budget.ts';
export {
  splitSurplus,
  assertRetentionRule,
  checkWuhuRetentionFloors,
  WUHU_MIN_VILLAGE_SHARE,
  WUHU_MIN_TOWNSHIP_SHARE,
} from './retention.ts';
export type { RetentionRule, RetentionSplit } from './retention.ts';
export { distributeWithinTier } from './within-tier.ts';
export { shareOverspend, assertOverspendRule } from './overspend.ts';
export type { OverspendRule, OverspendShare } from './overspend.ts';
export { settleCapitation } from './capitation-settlement.ts';
export type { CapitationSettlement, CapitationSettlementInput } from './capitation-settlement.ts';
export { pointValue, payByPoints, assertPointInputs } from './point-value.ts';
export type { PointPayments } from './point-value.ts';
export {
  outlierCoefficient,
  dipWeights,
  DIP_LOW_RATIO,
  DIP_HIGH_RATIO,
  DIP_REVIEW_RATIO,
  DIP_YEAR_WEIGHTS,
} from './dip-outlier.ts';
export type { DipWeights, OutlierClass, OutlierCoefficient } from './dip-outlier.ts';
export { preSettle, yearEndClearing } from './clearing.ts';
export type { PreSettlement, PreSettlementInput, YearEndClearing, YearEndClearingInput } from './clearing.ts';
