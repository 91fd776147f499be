/** Point-based payment as a payment-model plugin (payment/model.ts; rules in pay.ts, format in spec.ts). */
import { roundHalfUp } from '../../money/fen.ts';
import { compileFormula } from '../../params/formula.ts';
import { at } from '../../params/param.ts';
import type { ScenarioFile } from '../../params/schema.ts';
import { DIP_REVIEW_RATIO, dipCoefficient } from '../../settlement/dip-outlier.ts';
import { costIndex } from '../../utilization/kernel-params.ts';
import { Metric } from '../../utilization/metrics.ts';
import type { ClaimFigure, PaymentPlugin } from '../model.ts';
import { DIP_FLAGGED, DIP_POINTS, facilityPoints, points, type PointsYearDetail } from './pay.ts';
import { CAPABILITY_VARIABLES, type PointsSpec } from './spec.ts';

export { points, facilityPoints, _pointsCore, DIP_POINTS, DIP_FLAGGED, type PointsYearDetail } from './pay.ts';
export { CAPABILITY_VARIABLES };

/**
 * The DIP claim figures of F2 (docs/payment-models.md): an admission's points are the standard points
 * of a case (the mean admission cost at base-year prices, 1 point = 1 fen then) × its outlier
 * coefficient against last year's mean admission cost; `dipFlagged` counts cases with r > 5.
 */
export function dipFigures(s: ScenarioFile, years: number[]): ClaimFigure[] {
  const std = new Float64Array(years.length);
  const ref = new Float64Array(years.length);
  years.forEach((y, yi) => {
    const ip = at(s.utilization.hospitalizationCost, y);
    std[yi] = ip.median * Math.exp((ip.sigma * ip.sigma) / 2) * 100; // lognormal mean, fen
    ref[yi] = std[yi] * costIndex(s, y - 1, 'inpatient');
  });
  return [
    { id: DIP_POINTS, admission: (costFen, yi) => roundHalfUp(std[yi] * dipCoefficient(costFen / ref[yi])) },
    { id: DIP_FLAGGED, admission: (costFen, yi) => (costFen / ref[yi] > DIP_REVIEW_RATIO ? 1 : 0) },
  ];
}

export const pointsPlugin: PaymentPlugin<PointsSpec, PointsYearDetail> = {
  type: 'points',
  label: { zh: '点数法付费', en: 'Point-based (global budget)' },
  stages: ['pointSettlement'],
  figureLabels: {
    budget: { zh: '点数法总额预算', en: 'Points budget', unit: 'yuan' },
    totalPoints: { zh: '总点数', en: 'Total points', unit: 'count' },
    pointValueProvisional: { zh: '预结算点值（分/点）', en: 'Provisional point value (fen/point)', unit: 'fenPerPoint' },
    pointValueFinal: { zh: '清算点值（分/点）', en: 'Final point value (fen/point)', unit: 'fenPerPoint' },
    withheld: { zh: '预留金', en: 'Withheld', unit: 'yuan' },
    clawback: { zh: '清算追回', en: 'Clawback at clearing', unit: 'yuan' },
    flaggedCases: { zh: '待专家审核病例数', en: 'Cases flagged for review', unit: 'count' },
    offSite: { zh: '异地就医（按项目）', en: 'Off-site (fee-for-service)', unit: 'yuan' },
  },
  // Last year's payments (a budget based on history) and last year's points (the provisional point
  // value), region-wide, whenever that year is simulated.
  firstYearRead: (_spec, _region, horizonStart) => Math.max(0, horizonStart - 1),
  behaviour: () => null, // point inflation changes points, not care: it is applied in payment
  claimFigures: (_spec, s, years) => dipFigures(s, years),
  create: (spec) => points(spec),
  settlementTable: () => ({
    title: 'Point-based settlement (mean; point values in fen per point)',
    columns: [
      { label: 'global budget 万元', value: (y) => y.settlement.budget.mean, format: 'wan' },
      { label: 'points (M)', value: (y) => y.settlement.totalPoints.mean, format: 'millions' },
      { label: 'provisional value', value: (y) => y.settlement.pointValueProvisional.mean, format: 'fenPerPoint' },
      { label: 'final value', value: (y) => y.settlement.pointValueFinal.mean, format: 'fenPerPoint' },
      { label: 'withheld 万元', value: (y) => y.settlement.withheld.mean, format: 'wan' },
      { label: 'clawback 万元', value: (y) => y.settlement.clawback.mean, format: 'wan' },
      { label: 'flagged cases', value: (y) => y.settlement.flaggedCases.mean, format: 'count' },
    ],
  }),
  explain({ spec, input, result, f, metric, param, yuan }) {
    const d = result.detail!;
    const fac = input.region.facilities[f];
    const yi = input.yearIndex;
    const L = ['2. Point-based payment under the regional global budget (F1, docs/payment-models.md; 芜医保〔2025〕17号 二(四)10)'];
    if (fac.offSite) return [...L, `   off-site care is paid fee-for-service outside the budget: ${yuan(result.fundToFacilityFen[f])}`];
    if (fac.tier === 'hospital') {
      const drug = metric(Metric.drugCost);
      L.push(`   item points (level-2+): cost at base-year prices ${yuan((metric(Metric.opCost) - drug) / input.priceIndex.service[yi] + drug / input.priceIndex.drug[yi])} × ${param('pointsPerYuan', spec.itemPoints.pointsPerYuan)}`);
      if (spec.covers === 'outpatientAndInpatient') L.push(`   + admissions: standard points × DIP outlier coefficient (F2) = ${(metric(DIP_POINTS) / 100).toFixed(0)} base-yuan × pointsPerYuan; ${metric(DIP_FLAGGED)} cases flagged (r > 5)`);
    } else {
      const formula = compileFormula(spec.physicianPoints.capabilityCoefficient, CAPABILITY_VARIABLES);
      L.push(`   physician service-capability points (primary level): refills ${metric(Metric.refillVisits)} × ${param('refillPoints', spec.physicianPoints.refillPoints)}`);
      L.push(`     + other visits ${metric(Metric.visits) - metric(Metric.refillVisits)} × ${param('consultPoints', spec.physicianPoints.consultPoints)}`);
      L.push(`     × capability coefficient "${formula.text}"`);
    }
    if (spec.behaviour?.pointInflation) L.push(`   × (1 + ${param<Record<string, number>>('pointInflation', spec.behaviour.pointInflation, (v) => String(v[fac.tier]))})`);
    const fp = facilityPoints(spec, compileFormula(spec.physicianPoints.capabilityCoefficient, CAPABILITY_VARIABLES), input, yi);
    L.push(`   = ${fp.points[f].toFixed(1)} points; ${param<Record<string, number>>('facilityCoefficient', spec.facilityCoefficient, (v) => String(v[fac.tier]))}`);
    L.push(`   budget B (${d.budgetBasis}) = ${yuan(d.budgetFen)}${spec.budget.growthRate ? `; ${param('growthRate', spec.budget.growthRate)}` : ''}`);
    L.push(`   all facilities: ${d.totalPoints.toFixed(0)} points, ${d.weightedPoints.toFixed(0)} weighted by coefficient`);
    L.push(`   provisional point value (B ÷ last year's weighted points) = ${(d.pointValueProvisional / 100).toFixed(4)} yuan/point`);
    L.push(`   pre-settlement: points × coefficient × provisional value − withheld (${param('withholdShare', spec.preSettlement.withholdShare)}) = ${yuan(d.prepaidFen[f])}`);
    L.push(`   final point value = B ÷ weighted points = ${(d.pointValueFinal / 100).toFixed(4)} yuan/point → final payment ${yuan(d.finalFen[f])}`);
    L.push(`   year-end clearing: final − prepaid = ${yuan(d.balanceFen[f])}${d.balanceFen[f] < 0 ? ' (clawback)' : ''}`);
    L.push(`   fund pays this facility ${yuan(result.fundToFacilityFen[f])} in all`);
    return L;
  },
};
