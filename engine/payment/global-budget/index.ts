/** The global budget with quality-linked year-end clearing as a payment-model plugin (payment/model.ts). */
import type { PaymentPlugin } from '../model.ts';
import { globalBudget, type GlobalBudgetYearDetail } from './pay.ts';
import type { GlobalBudgetSpec } from './spec.ts';

export { globalBudget, qualityScores, _globalBudgetCore, type GlobalBudgetYearDetail } from './pay.ts';
export { clearFacility, type FacilityClearing, type FacilityClearingInput } from './clearing.ts';

export const globalBudgetPlugin: PaymentPlugin<GlobalBudgetSpec, GlobalBudgetYearDetail> = {
  type: 'globalBudget',
  label: { zh: '总额预算管理', en: 'Global budget' },
  stages: ['globalBudgetPrepaid', 'yearEndClearing'],
  figureLabels: {
    budget: { zh: '机构总额预算', en: 'Facility global budgets', unit: 'yuan' },
    actual: { zh: '预算内基金支付', en: 'Claims in the budget', unit: 'yuan' },
    retained: { zh: '结余留用', en: 'Surplus retained', unit: 'yuan' },
    fundOverspend: { zh: '基金分担超支', en: 'Overspend borne by the fund', unit: 'yuan' },
    unpaidOverspend: { zh: '不予支付的超支', en: 'Overspend not paid', unit: 'yuan' },
    withheld: { zh: '质量保证金', en: 'Quality reserve withheld', unit: 'yuan' },
    qualityPaid: { zh: '质量保证金返还', en: 'Quality reserve paid', unit: 'yuan' },
    clearing: { zh: '年终清算', en: 'Year-end clearing', unit: 'yuan' },
    meanQualityScore: { zh: '平均质量评分', en: 'Mean quality score', unit: 'ratio' },
    facilitiesOverBudget: { zh: '超预算机构数', en: 'Facilities over budget', unit: 'count' },
  },
  // Each facility's budget is built on its payments of the year before, region-wide.
  firstYearRead: (_spec, _region, horizonStart) => Math.max(0, horizonStart - 1),
  create: (spec) => globalBudget(spec),
  settlementTable: () => ({
    title: 'Global budget with quality-linked year-end clearing (mean, 万元)',
    columns: [
      { label: 'facility budgets', value: (y) => y.settlement.budget.mean, format: 'wan' },
      { label: 'claims', value: (y) => y.settlement.actual.mean, format: 'wan' },
      { label: 'retained', value: (y) => y.settlement.retained.mean, format: 'wan' },
      { label: 'overspend paid', value: (y) => y.settlement.fundOverspend.mean, format: 'wan' },
      { label: 'not paid', value: (y) => y.settlement.unpaidOverspend.mean, format: 'wan' },
      { label: 'reserve paid', value: (y) => y.settlement.qualityPaid.mean, format: 'wan' },
      { label: 'clearing', value: (y) => y.settlement.clearing.mean, format: 'wan' },
      { label: 'quality', value: (y) => y.settlement.meanQualityScore.mean, format: 'ratio' },
    ],
  }),
  explain({ spec, input, result, f, param, yuan }) {
    const fac = input.region.facilities[f];
    const d = result.detail!;
    const cl = d.clearing[f];
    const L = ['2. Global budget with quality-linked year-end clearing (docs/payment-models.md; 京医保发〔2024〕3号 第13条)'];
    if (!cl) return [...L, `   ${fac.offSite ? 'off-site care' : 'this facility'} is paid fee-for-service outside the budget: ${yuan(result.fundToFacilityFen[f])}`];
    L.push(`   budget B = last year's fund payments for covered claims × (1 + growth) = ${yuan(d.budgetFen[f])}; ${param('growthRate', spec.budget.growthRate)}`);
    L.push(`   claims this year A (fund share, ${spec.covers}) = ${yuan(d.actualFen[f])}`);
    if (d.actualFen[f] <= d.budgetFen[f]) {
      L.push(`   under budget: recognised R = A + retention × (B − A) = ${yuan(cl.recognisedFen)}; ${param('surplusRetention', spec.clearing.surplusRetention)}`);
    } else {
      L.push(`   over budget: the fund shares the overspend up to the corridor: ${param('overspendShare', spec.clearing.overspendShare)}; ${param('overspendCorridor', spec.clearing.overspendCorridor)}`);
      L.push(`   fund pays ${yuan(cl.fundOverspendFen)} of the overspend, ${yuan(cl.unpaidOverspendFen)} is not paid; recognised R = ${yuan(cl.recognisedFen)}`);
    }
    L.push(`   pre-paid during the year: min(A, B) less the quality reserve = ${yuan(cl.prepaidFen)}; ${param('withholdShare', spec.quality.withholdShare)}`);
    L.push(`   quality score q = ${d.qualityScore[f].toFixed(3)} (formula "${spec.quality.score}") → reserve ${yuan(cl.withheldFen)} × q = ${yuan(cl.qualityPaidFen)} paid`);
    L.push(`   final F = R − reserve + reserve × q = ${yuan(cl.finalFen)}; year-end clearing F − prepaid = ${yuan(cl.clearingFen)}${cl.clearingFen < 0 ? ' (clawback)' : ''}`);
    L.push(`   fund pays this facility ${yuan(result.fundToFacilityFen[f])} in all (uncovered claims included)`);
    return L;
  },
};
