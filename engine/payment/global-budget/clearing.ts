/**
 * Year-end clearing of one facility under a global budget with a quality reserve (总额预算管理,
 * 年终清算 linked to 质量评价: 京医保发〔2024〕3号 第13条, seeds/000). docs/payment-models.md
 * ("Global budget") states the rule and a worked example, which test/payment/global-budget.test.ts checks.
 *
 * - Recognised amount R: under budget (A ≤ B) the claims A plus `surplusRetention` × (B − A); over it,
 *   B plus `overspendShare` × the overspend up to `corridor` × B (beyond the corridor nothing).
 * - During the year claims are pre-paid up to the budget, less the quality reserve: P = min(A, B) −
 *   round(min(A, B) × withhold).
 * - At clearing the reserve round(R × withhold) is paid × the quality score q ∈ [0, 1]:
 *   final F = R − withheld + round(withheld × q); the clearing payment is F − P (negative: clawback).
 * All amounts integer fen (money/fen.ts `applyRate`, round half up).
 */
import { applyRate } from '../../money/fen.ts';

export interface FacilityClearingInput {
  budgetFen: number;
  /** The fund share of the facility's covered claims this year (what fee-for-service would pay). */
  actualFen: number;
  surplusRetention: number;
  overspendShare: number;
  corridor: number;
  withholdShare: number;
  qualityScore: number;
}

export interface FacilityClearing {
  recognisedFen: number;
  retainedFen: number;
  fundOverspendFen: number;
  unpaidOverspendFen: number;
  prepaidFen: number;
  withheldFen: number;
  qualityPaidFen: number;
  finalFen: number;
  clearingFen: number;
}

/**
 * @example
 * clearFacility({ budgetFen: 100_000_00, actualFen: 90_000_00, surplusRetention: 0.5, overspendShare: 0.5, corridor: 0.1, withholdShare: 0.1, qualityScore: 0.8 })
 * // recognised 95,000 yuan; withheld 9,500; quality paid 7,600; final 93,100; prepaid 81,000; clearing 12,100
 */
export function clearFacility(i: FacilityClearingInput): FacilityClearing {
  const { budgetFen: B, actualFen: A } = i;
  let recognised: number;
  let retained = 0;
  let fundOver = 0;
  let unpaid = 0;
  if (A <= B) {
    retained = applyRate(B - A, i.surplusRetention);
    recognised = A + retained;
  } else {
    const over = A - B;
    const shareable = Math.min(over, applyRate(B, i.corridor));
    fundOver = applyRate(shareable, i.overspendShare);
    unpaid = over - fundOver;
    recognised = B + fundOver;
  }
  const base = Math.min(A, B);
  const prepaid = base - applyRate(base, i.withholdShare);
  const withheld = applyRate(recognised, i.withholdShare);
  const qualityPaid = applyRate(withheld, Math.min(1, Math.max(0, i.qualityScore)));
  const final = recognised - withheld + qualityPaid;
  return { recognisedFen: recognised, retainedFen: retained, fundOverspendFen: fundOver, unpaidOverspendFen: unpaid, prepaidFen: prepaid, withheldFen: withheld, qualityPaidFen: qualityPaid, finalFen: final, clearingFen: final - prepaid };
}
