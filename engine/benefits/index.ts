export { adjudicateClaim, deductibleApplied, effectiveRatio, fundShare, newBenefitYear, type BenefitYearState, type ClaimInput, type ClaimResult } from './adjudicate.ts';
