/**
 * From one replication's facility-year aggregates to its results: every payment model pays the
 * same adjudicated claims (common random numbers), then the ledger rolls per model.
 */
import { enrolleesByYear } from '../population/region.ts';
import { ledgerYears } from '../ledger/ledger.ts';
import { openingBalanceFen } from '../ledger/opening-balance.ts';
import { TIER_GROUPS, type OutlayStages, type ReplicationResult, type TierGroup, type TierYear } from '../ledger/results.ts';
import type { CommunitySettlement, PaymentModel, PaymentResult } from '../payment/model.ts';
import type { Compiled } from './simulate.ts';
import { Metric, NM } from '../utilization/metrics.ts';

/**
 * The fund's outlay split into stages. Capitation: claims of patients outside the pilot, budgets,
 * minus surplus returned, plus the fund's overspend share. Points: claims outside the budget
 * (off-site; inpatient when not covered) plus the point settlement (the budget).
 */
export function outlayStages(type: string, fig: Record<string, number>, fundOutlayFen: number, claimsFundFen: number): OutlayStages {
  const st = { claimsFen: fundOutlayFen, capitationFen: 0, surplusReturnedFen: 0, overspendPaidFen: 0, pointSettlementFen: 0 };
  if (type === 'capitation') {
    st.claimsFen = claimsFundFen - fig.actualFen;
    st.capitationFen = fig.budgetFen;
    st.surplusReturnedFen = -fig.returnedToFundFen;
    st.overspendPaidFen = fig.fundOverspendFen;
  } else if (type === 'points') {
    st.pointSettlementFen = fig.budgetFen;
    st.claimsFen = fundOutlayFen - fig.budgetFen;
  }
  return st;
}

/** Flat settlement figures of a payment model's year detail (summed over communities). */
export function settlementFigures(detail: PaymentResult['detail']): Record<string, number> {
  if (!detail) return {};
  if (detail.kind === 'capitation') {
    const sum = (k: keyof CommunitySettlement) => detail.communities.reduce((a, c) => a + (c[k] as number), 0);
    return {
      pilotCommunities: detail.communities.length,
      heads: sum('heads'),
      budgetFen: sum('budgetFen'),
      actualFen: sum('actualFen'),
      surplusFen: sum('surplusFen'),
      overspendFen: sum('overspendFen'),
      retainedFen: sum('retainedFen'),
      returnedToFundFen: sum('returnedToFundFen'),
      villageRetainedFen: sum('villageFen'),
      townshipRetainedFen: sum('townshipFen'),
      leadRetainedFen: sum('leadFen'),
      leadOverspendFen: sum('leadOverspendFen'),
      fundOverspendFen: sum('fundOverspendFen'),
      matchingPaidFen: sum('matchingPaidFen'),
      communitiesInOverspend: detail.communities.filter((c) => c.overspendFen > 0).length,
    };
  }
  let clawback = 0;
  for (const b of detail.balanceFen) if (b < 0) clawback -= b;
  return {
    budgetFen: detail.budgetFen,
    totalPoints: detail.totalPoints,
    pointValueProvisional: detail.pointValueProvisional,
    pointValueFinal: detail.pointValueFinal,
    withheldFen: detail.withheldFen,
    clawbackFen: clawback,
    flaggedCases: detail.flaggedCases,
    offSiteFen: detail.offSiteFen,
  };
}

export function tierGroupOf(c: Compiled): Uint8Array {
  const g = new Uint8Array(c.region.facilities.length);
  c.region.facilities.forEach((f, i) => (g[i] = f.offSite ? 3 : c.region.tierCode[i]));
  return g;
}

export function settleReplication(c: Compiled, models: PaymentModel[], replication: number, all: Float64Array): ReplicationResult {
  const nF = c.region.facilities.length;
  const group = tierGroupOf(c);
  const enrollees = enrolleesByYear(c.scenario, c.region, c.horizonYears);
  let openingFen: number | undefined; // set from the first model's first year: the same for every model
  return {
    replication,
    models: models.map((model, mi) => {
      const v = c.modelVariant[mi];
      const agg = all.subarray(v * c.aggSize, (v + 1) * c.aggSize);
      const years = c.horizonYears.map((year, hi) => {
        const yi = c.horizonStart + hi;
        const pay = model.payYear({ region: c.region, agg, yearIndex: yi, year, years: c.years, horizonStart: c.horizonStart, costIndex: c.kp.costIndex });
        const byTier = Object.fromEntries(TIER_GROUPS.map((t) => [t, { fundFen: 0, otherFen: 0, patientFen: 0, costFen: 0, revenueFen: 0, marginFen: 0, visits: 0, admissions: 0, opCostFen: 0, drugFen: 0, longRxDrugFen: 0 }])) as Record<TierGroup, TierYear>;
        let cost = 0, claimsFund = 0, opFund = 0, ipFund = 0, visits = 0, admissions = 0, patients = 0, capReached = 0;
        for (let f = 0; f < nF; f++) {
          const k = (yi * nF + f) * NM;
          const fc = agg[k + Metric.opCost] + agg[k + Metric.ipCost];
          const ff = agg[k + Metric.opFund] + agg[k + Metric.ipFund];
          const other = pay.otherToFacilityFen ? pay.otherToFacilityFen[f] : 0;
          const tg = byTier[TIER_GROUPS[group[f]]];
          tg.fundFen += pay.fundToFacilityFen[f];
          tg.otherFen += other;
          tg.patientFen += fc - ff;
          tg.costFen += fc;
          tg.revenueFen += pay.fundToFacilityFen[f] + other + fc - ff;
          tg.visits += agg[k + Metric.visits];
          tg.admissions += agg[k + Metric.admissions];
          tg.opCostFen += agg[k + Metric.opCost];
          tg.drugFen += agg[k + Metric.drugCost];
          tg.longRxDrugFen += agg[k + Metric.longRxDrugCost];
          cost += fc;
          claimsFund += ff;
          opFund += agg[k + Metric.opFund];
          ipFund += agg[k + Metric.ipFund];
          visits += agg[k + Metric.visits];
          admissions += agg[k + Metric.admissions];
          patients += agg[k + Metric.patients];
          capReached += agg[k + Metric.capReached];
        }
        for (const t of TIER_GROUPS) byTier[t].marginFen = byTier[t].revenueFen - byTier[t].costFen;
        return {
          year,
          fundOutlayFen: pay.fundOutlayFen,
          claimsFundFen: claimsFund,
          patientFen: cost - claimsFund,
          costFen: cost,
          opFundFen: opFund,
          ipFundFen: ipFund,
          visits,
          admissions,
          patients,
          capReached,
          byTier,
          settlement: settlementFigures(pay.detail),
          outlayByStage: outlayStages(model.type, settlementFigures(pay.detail), pay.fundOutlayFen, claimsFund),
          fundToFacilityFen: pay.fundToFacilityFen,
        };
      });
      openingFen ??= openingBalanceFen(c.scenario, c.horizonYears[0], enrollees[0], years[0].fundOutlayFen);
      const ledger = ledgerYears(c.scenario, c.horizonYears, enrollees, years.map((y) => y.fundOutlayFen), openingFen);
      return { name: model.name, type: model.type, years: years.map((y, i) => ({ ...y, ledger: ledger[i] })) };
    }),
  };
}
