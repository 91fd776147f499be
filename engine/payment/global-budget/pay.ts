/**
 * Global budget with quality-linked year-end clearing (总额预算管理, 京医保发〔2024〕3号 第13条,
 * seeds/000), docs/payment-models.md ("Global budget"):
 * - each in-region facility's budget B is its fund payments for covered claims last year × (1 + growth);
 * - its claims are pre-paid up to B during the year, less the quality reserve;
 * - at year-end clearing a facility under budget keeps a share of the unspent budget, one over budget
 *   gets a share of the overspend up to a corridor, and the quality reserve is paid × its quality score
 *   (a formula over the facility's long-prescription share of drug cost, signing and visits);
 * - off-site claims, and inpatient claims when not covered, stay fee-for-service outside the budget.
 */
import { applyRate } from '../../money/fen.ts';
import { compileFormula, type Formula } from '../../params/formula.ts';
import { at } from '../../params/param.ts';
import { TIERS } from '../../params/schema.ts';
import type { Region } from '../../population/region.ts';
import { Metric } from '../../utilization/metrics.ts';
import type { PaymentInput, PaymentModel, PaymentResult } from '../model.ts';
import { clearFacility, type FacilityClearing } from './clearing.ts';
import { QUALITY_VARIABLES, type GlobalBudgetSpec } from './spec.ts';

export interface GlobalBudgetYearDetail {
  kind: 'globalBudget';
  /** Per facility (in-region; 0 elsewhere): budget, claims, quality score and clearing. */
  budgetFen: Float64Array;
  actualFen: Float64Array;
  qualityScore: Float64Array;
  clearing: (FacilityClearing | null)[];
}

export function globalBudget(spec: GlobalBudgetSpec): PaymentModel<GlobalBudgetYearDetail> {
  const formula = compileFormula(spec.quality.score, QUALITY_VARIABLES);
  return { name: spec.name, type: 'globalBudget', payYear: (input) => _globalBudgetCore(spec, formula, input) };
}

/** Each facility's quality-score variables in simulated year `yi`, and its score (clamped to [0, 1]). */
export function qualityScores(formula: Formula, region: Region, metric: (f: number, k: number) => number): Float64Array {
  const nF = region.facilities.length;
  const heads = new Float64Array(nF);
  const signed = new Float64Array(nF);
  region.facilities.forEach((f, i) => {
    if (f.tier !== 'village') return;
    for (const j of [i, f.township]) {
      heads[j] += metric(i, Metric.patients);
      signed[j] += metric(i, Metric.signed);
    }
  });
  const out = new Float64Array(nF);
  region.facilities.forEach((f, i) => {
    if (f.offSite) return;
    const drug = metric(i, Metric.drugCost);
    const q = formula.evaluate({
      tier: TIERS.indexOf(f.tier),
      longRxShare: drug > 0 ? metric(i, Metric.longRxDrugCost) / drug : 0,
      signedShare: heads[i] > 0 ? signed[i] / heads[i] : 0,
      visitsPerPatient: heads[i] > 0 ? metric(i, Metric.visits) / heads[i] : 0,
    });
    out[i] = Math.min(1, Math.max(0, q));
  });
  return out;
}

export function _globalBudgetCore(spec: GlobalBudgetSpec, formula: Formula, input: PaymentInput): PaymentResult<GlobalBudgetYearDetail> {
  const { region, agg, yearIndex: yi, year } = input;
  const nF = region.facilities.length;
  const nm = input.layout.nm;
  const includeIp = spec.covers === 'outpatientAndInpatient';
  const m = (f: number, y: number, k: number) => agg[(y * nF + f) * nm + k];
  const covered = (f: number, y: number) => m(f, y, Metric.opFund) + (includeIp ? m(f, y, Metric.ipFund) : 0);
  const growth = at(spec.budget.growthRate, year);
  const rule = {
    surplusRetention: at(spec.clearing.surplusRetention, year),
    overspendShare: at(spec.clearing.overspendShare, year),
    corridor: at(spec.clearing.overspendCorridor, year),
    withholdShare: at(spec.quality.withholdShare, year),
  };
  // The spec part's historyYears (1) makes the year before every paid year a simulated one.
  if (yi < 1) throw new RangeError(`global budget: year index ${yi} has no year before it (a bug: historyYears should have added one)`);
  const score = qualityScores(formula, region, (f, k) => m(f, yi, k));
  const pay = new Float64Array(nF);
  const budget = new Float64Array(nF);
  const actual = new Float64Array(nF);
  const clearing: (FacilityClearing | null)[] = new Array(nF).fill(null);
  let claimsFund = 0;
  let outside = 0;
  const fig = { budgetFen: 0, actualFen: 0, retainedFen: 0, fundOverspendFen: 0, unpaidOverspendFen: 0, prepaidFen: 0, withheldFen: 0, qualityPaidFen: 0, clearingFen: 0, facilitiesOverBudget: 0, qualityScoreSum: 0, facilities: 0 };
  for (let f = 0; f < nF; f++) {
    const fund = m(f, yi, Metric.opFund) + m(f, yi, Metric.ipFund);
    claimsFund += fund;
    if (region.facilities[f].offSite) {
      pay[f] = fund;
      outside += fund;
      continue;
    }
    const uncovered = fund - covered(f, yi);
    pay[f] = uncovered;
    outside += uncovered;
    budget[f] = applyRate(covered(f, yi - 1), 1 + growth);
    actual[f] = covered(f, yi);
    const cl = clearFacility({ budgetFen: budget[f], actualFen: actual[f], qualityScore: score[f], ...rule });
    clearing[f] = cl;
    pay[f] += cl.finalFen;
    fig.budgetFen += budget[f];
    fig.actualFen += actual[f];
    fig.retainedFen += cl.retainedFen;
    fig.fundOverspendFen += cl.fundOverspendFen;
    fig.unpaidOverspendFen += cl.unpaidOverspendFen;
    fig.prepaidFen += cl.prepaidFen;
    fig.withheldFen += cl.withheldFen;
    fig.qualityPaidFen += cl.qualityPaidFen;
    fig.clearingFen += cl.clearingFen;
    if (actual[f] > budget[f]) fig.facilitiesOverBudget++;
    if (actual[f] > 0 || budget[f] > 0) {
      fig.qualityScoreSum += score[f];
      fig.facilities++;
    }
  }
  let outlay = 0;
  for (let f = 0; f < nF; f++) outlay += pay[f];
  return {
    fundToFacilityFen: pay,
    fundOutlayFen: outlay,
    claimsFundFen: claimsFund,
    figures: {
      budgetFen: fig.budgetFen,
      actualFen: fig.actualFen,
      retainedFen: fig.retainedFen,
      fundOverspendFen: fig.fundOverspendFen,
      unpaidOverspendFen: fig.unpaidOverspendFen,
      withheldFen: fig.withheldFen,
      qualityPaidFen: fig.qualityPaidFen,
      clearingFen: fig.clearingFen,
      meanQualityScore: fig.facilities > 0 ? fig.qualityScoreSum / fig.facilities : 0,
      facilitiesOverBudget: fig.facilitiesOverBudget,
    },
    stages: { claims: outside, globalBudgetPrepaid: fig.prepaidFen, yearEndClearing: fig.clearingFen },
    detail: { kind: 'globalBudget', budgetFen: budget, actualFen: actual, qualityScore: score, clearing },
  };
}
