/**
 * Point-based payment under a regional global budget (区域点数法总额预算和分值付费), F1 and F2 of
 * docs/payment-models.md after 芜医保〔2025〕17号 二(四)10 (seeds/003).
 *
 * - Budget B: last year's covered fund payments × (1 + growth) (`basis: history`), or a fixed amount.
 * - Level-2+ hospitals earn item points (项目分值): cost at base-year prices × points per yuan;
 *   admissions (when covered) earn the standard points of a case × the DIP outlier coefficient (F2,
 *   the claim figures `dipPoints` and `dipFlagged` of index.ts, accumulated per admission against
 *   last year's mean cost; r > 5 flagged for review).
 * - Township centres and village clinics (primary, level-1 and unrated) earn physician
 *   service-capability points (医师服务能力分值): points per refill / other visit × a capability
 *   coefficient, a user formula (mathjs) over the facility's variables.
 * - Providers' point inflation (behaviour) multiplies their points; the budget is fixed, so it
 *   lowers the point value for everyone (F1).
 * - Payment_i = B × points_i × coef_i / Σ points × coef (largest remainder: Σ payments = B exactly).
 * - Pre-settlement: monthly at the provisional point value (B ÷ last year's weighted points), less
 *   the withheld share; year-end clearing pays final − prepaid (negative: clawback).
 * - Off-site claims stay fee-for-service, outside the budget.
 */
import { applyRate, yuanToFen } from '../../money/fen.ts';
import { compileFormula, type Formula } from '../../params/formula.ts';
import { at } from '../../params/param.ts';
import { TIERS } from '../../params/schema.ts';
import { roundHalfUp } from '../../money/fen.ts';
import { _yearEndClearingCore } from '../../settlement/clearing.ts';
import { Metric } from '../../utilization/metrics.ts';
import type { PaymentInput, PaymentModel, PaymentResult } from '../model.ts';
import { CAPABILITY_VARIABLES, type PointsSpec } from './spec.ts';

export interface PointsYearDetail {
  kind: 'points';
  budgetFen: number;
  budgetBasis: string;
  /** Facility points (after inflation), per facility; 0 for facilities outside the scheme. */
  points: Float64Array;
  coefficients: Float64Array;
  totalPoints: number;
  /** Weighted points Σ points × coefficient. */
  weightedPoints: number;
  pointValueProvisional: number;
  pointValueFinal: number;
  prepaidFen: Float64Array;
  withheldFen: number;
  finalFen: Float64Array;
  /** Year-end clearing: final − prepaid, per facility (negative: clawback). */
  balanceFen: Float64Array;
  flaggedCases: number;
  /** Fund share of off-site claims, paid fee-for-service outside the budget. */
  offSiteFen: number;
}

/** Claim figures the model reads (index.ts `claimFigures`). */
export const DIP_POINTS = 'dipPoints';
export const DIP_FLAGGED = 'dipFlagged';

export function points(spec: PointsSpec): PaymentModel<PointsYearDetail> {
  const formula = compileFormula(spec.physicianPoints.capabilityCoefficient, CAPABILITY_VARIABLES);
  return { name: spec.name, type: 'points', payYear: (input) => _pointsCore(spec, formula, input) };
}

/** Each facility's points in simulated year `yi` (after inflation) and its coefficient. */
export function facilityPoints(spec: PointsSpec, formula: Formula, input: PaymentInput, yi: number): { points: Float64Array; coef: Float64Array } {
  const { region, agg, years, priceIndex } = input;
  const nF = region.facilities.length;
  const nm = input.layout.nm;
  const dip = input.layout.slot[DIP_POINTS];
  const year = years[yi];
  const ppy = at(spec.itemPoints.pointsPerYuan, year);
  const refillPts = at(spec.physicianPoints.refillPoints, year);
  const consultPts = at(spec.physicianPoints.consultPoints, year);
  const coefByTier = at(spec.facilityCoefficient, year);
  const inflation = spec.behaviour?.pointInflation ? at(spec.behaviour.pointInflation, year) : undefined;
  const includeIp = spec.covers === 'outpatientAndInpatient';
  const m = (f: number, k: number) => agg[(yi * nF + f) * nm + k];
  const points = new Float64Array(nF);
  const coef = new Float64Array(nF);
  // Enrolled and signed heads of each township centre's catchment (for the capability formula).
  const heads = new Float64Array(nF);
  const signed = new Float64Array(nF);
  region.facilities.forEach((f, i) => {
    if (f.tier === 'village') {
      heads[i] += m(i, Metric.patients);
      signed[i] += m(i, Metric.signed);
      heads[f.township] += m(i, Metric.patients);
      signed[f.township] += m(i, Metric.signed);
    }
  });
  region.facilities.forEach((f, i) => {
    if (f.offSite) return;
    const t = TIERS.indexOf(f.tier);
    let p: number;
    if (f.tier === 'hospital') {
      // Cost at base-year prices: services and drugs each deflated by their own index.
      const drug = m(i, Metric.drugCost);
      const base = (m(i, Metric.opCost) - drug) / priceIndex.service[yi] + drug / priceIndex.drug[yi];
      p = (base / 100) * ppy + (includeIp ? (m(i, dip) / 100) * ppy : 0);
    } else {
      const visits = m(i, Metric.visits);
      const refills = m(i, Metric.refillVisits);
      const capability = formula.evaluate({
        tier: t,
        signedShare: heads[i] > 0 ? signed[i] / heads[i] : 0,
        visitsPerPatient: heads[i] > 0 ? visits / heads[i] : 0,
        patients: heads[i],
      });
      p = (refills * refillPts + (visits - refills) * consultPts) * Math.max(0, capability);
    }
    points[i] = p * (1 + (inflation ? inflation[f.tier] : 0));
    coef[i] = coefByTier[f.tier];
  });
  return { points, coef };
}

export function _pointsCore(spec: PointsSpec, formula: Formula, input: PaymentInput): PaymentResult<PointsYearDetail> {
  const { region, agg, yearIndex, year } = input;
  const nF = region.facilities.length;
  const nm = input.layout.nm;
  const flaggedSlot = input.layout.slot[DIP_FLAGGED];
  const includeIp = spec.covers === 'outpatientAndInpatient';
  const m = (f: number, yi: number, k: number) => agg[(yi * nF + f) * nm + k];
  const pay = new Float64Array(nF);
  let claimsFund = 0;
  let offSiteFen = 0;
  let flagged = 0;
  // What stays outside the budget: off-site claims, and inpatient claims when not covered.
  for (let f = 0; f < nF; f++) {
    const op = m(f, yearIndex, Metric.opFund);
    const ip = m(f, yearIndex, Metric.ipFund);
    claimsFund += op + ip;
    flagged += m(f, yearIndex, flaggedSlot);
    if (region.facilities[f].offSite) {
      pay[f] += op + ip;
      offSiteFen += op + ip;
    } else if (!includeIp) pay[f] += ip;
  }
  const covered = (yi: number) => {
    let s = 0;
    for (let f = 0; f < nF; f++) if (!region.facilities[f].offSite) s += m(f, yi, Metric.opFund) + (includeIp ? m(f, yi, Metric.ipFund) : 0);
    return s;
  };
  let budgetFen: number;
  if (spec.budget.basis === 'fixed') budgetFen = yuanToFen(at(spec.budget.amount!, year));
  else budgetFen = applyRate(covered(yearIndex - 1), 1 + at(spec.budget.growthRate!, year));

  const { points, coef } = facilityPoints(spec, formula, input, yearIndex);
  let total = 0;
  let weighted = 0;
  for (let f = 0; f < nF; f++) {
    total += points[f];
    weighted += points[f] * coef[f];
  }
  // Provisional point value from last year's weighted points (this year's when there is no history).
  let provisional = weighted > 0 ? budgetFen / weighted : 0;
  if (yearIndex > 0) {
    const prev = facilityPoints(spec, formula, input, yearIndex - 1);
    let w = 0;
    for (let f = 0; f < nF; f++) w += prev.points[f] * prev.coef[f];
    if (w > 0) provisional = budgetFen / w;
  }
  const withhold = at(spec.preSettlement.withholdShare, year);
  const prepaid = new Float64Array(nF);
  let withheld = 0;
  for (let f = 0; f < nF; f++) {
    const allocation = roundHalfUp(points[f] * coef[f] * provisional);
    const w = roundHalfUp(allocation * withhold);
    prepaid[f] = allocation - w;
    withheld += w;
  }
  const clearing = _yearEndClearingCore({ annualBudgetFen: budgetFen, annualPoints: Array.from(points), coefficients: Array.from(coef), prepaidFen: Array.from(prepaid) });
  const finalFen = Float64Array.from(clearing.finalFen);
  for (let f = 0; f < nF; f++) pay[f] += finalFen[f];
  let outlay = 0;
  for (let f = 0; f < nF; f++) outlay += pay[f];
  let clawback = 0;
  for (const b of clearing.balanceFen) if (b < 0) clawback -= b;
  return {
    fundToFacilityFen: pay,
    fundOutlayFen: outlay,
    claimsFundFen: claimsFund,
    figures: {
      budgetFen,
      totalPoints: total,
      pointValueProvisional: provisional,
      pointValueFinal: weighted > 0 ? budgetFen / weighted : 0,
      withheldFen: withheld,
      clawbackFen: clawback,
      flaggedCases: flagged,
      offSiteFen,
    },
    // Claims outside the budget (off-site; inpatient when not covered), and the point settlement.
    stages: { claims: outlay - budgetFen, pointSettlement: budgetFen },
    detail: {
      kind: 'points',
      budgetFen,
      budgetBasis: spec.budget.basis,
      points,
      coefficients: coef,
      totalPoints: total,
      weightedPoints: weighted,
      pointValueProvisional: provisional,
      pointValueFinal: weighted > 0 ? budgetFen / weighted : 0,
      prepaidFen: prepaid,
      withheldFen: withheld,
      finalFen,
      balanceFen: Float64Array.from(clearing.balanceFen),
      flaggedCases: flagged,
      offSiteFen,
    },
  };
}
