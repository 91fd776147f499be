/**
 * Settlement rules (docs/payment-models.md F1–F3): pure functions, integer fen, no I/O, no randomness.
 * Capitation: per-capita amount → budget → surplus retention / overspend sharing.
 * Points: point value, payment by points, DIP outlier coefficients, year-end clearing.
 */
export { perCapitaAmount } from './capitation-rate.ts';
export type { CapitationHistoryYear } from './capitation-rate.ts';
export { capitationBudget } from './capitation-budget.ts';
export type { CapitationBudget, CapitationBudgetInput } from './capitation-budget.ts';
export {
  splitSurplus,
  assertRetentionRule,
} from './retention.ts';
export type { RetentionRule, RetentionSplit } from './retention.ts';
export { distributeWithinTier } from './within-tier.ts';
export { shareOverspend, assertOverspendRule } from './overspend.ts';
export type { OverspendRule, OverspendShare } from './overspend.ts';
export { settleCapitation } from './capitation-settlement.ts';
export type { CapitationSettlement, CapitationSettlementInput } from './capitation-settlement.ts';
export { pointValue, payByPoints, assertPointInputs } from './point-value.ts';
export type { PointPayments } from './point-value.ts';
export { outlierCoefficient, dipCoefficient, DIP_LOW_RATIO, DIP_HIGH_RATIO, DIP_REVIEW_RATIO } from './dip-outlier.ts';
export type { OutlierClass, OutlierCoefficient } from './dip-outlier.ts';
export { yearEndClearing } from './clearing.ts';
export type { YearEndClearing, YearEndClearingInput } from './clearing.ts';
