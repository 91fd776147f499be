export { adjudicateClaim, deductibleApplied, deductibleMet, effectiveRatio, fundShare, newBenefitYear, type BenefitYearState, type ClaimInput, type ClaimResult } from './adjudicate.ts';
