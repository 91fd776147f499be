/**
 * From one replication's facility-year aggregates to its results: every payment model pays the
 * same adjudicated claims (common random numbers), then the ledger rolls per model.
 */
import { enrolleesByYear } from '../population/region.ts';
import { ledgerYears } from '../ledger/ledger.ts';
import { openingBalanceFen } from '../ledger/opening-balance.ts';
import { TIER_GROUPS, type ReplicationResult, type TierGroup, type TierYear } from '../ledger/results.ts';
import type { PaymentInput, PaymentModel } from '../payment/model.ts';
import type { Compiled } from './simulate.ts';
import { Metric } from '../utilization/metrics.ts';

export function tierGroupOf(c: Compiled): Uint8Array {
  const g = new Uint8Array(c.region.facilities.length);
  c.region.facilities.forEach((f, i) => (g[i] = f.offSite ? 3 : c.region.tierCode[i]));
  return g;
}

/** What payment model `mi` is given to pay simulated year `yi`, from all variants' aggregates `all`. */
export function paymentInput(c: Compiled, all: Float64Array, mi: number, yi: number): PaymentInput {
  const v = c.modelVariant[mi];
  const agg = all.subarray(v * c.aggSize, (v + 1) * c.aggSize);
  const nY = c.years.length;
  const restated = (t: number, b: number) => {
    const rv = c.restated[mi]?.[t * nY + b] ?? -1;
    return rv < 0 ? agg : all.subarray(rv * c.aggSize, (rv + 1) * c.aggSize);
  };
  return { region: c.region, agg, layout: c.layout, yearIndex: yi, year: c.years[yi], years: c.years, horizonStart: c.horizonStart, priceIndex: c.kp.priceIndex, restated };
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
        const pay = model.payYear(paymentInput(c, all, mi, yi));
        const byTier = Object.fromEntries(TIER_GROUPS.map((t) => [t, { fundFen: 0, otherFen: 0, patientFen: 0, costFen: 0, revenueFen: 0, marginFen: 0, visits: 0, admissions: 0, opCostFen: 0, drugFen: 0, longRxDrugFen: 0 }])) as Record<TierGroup, TierYear>;
        let cost = 0, ipCost = 0, claimsFund = 0, fundSquares = 0, opFund = 0, ipFund = 0, visits = 0, admissions = 0, patients = 0, capReached = 0;
        const cohort = { newPatients: 0, deaths: 0, leavers: 0, ageSum: 0 };
        for (let f = 0; f < nF; f++) {
          const k = (yi * nF + f) * c.layout.nm;
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
          fundSquares += agg[k + Metric.fundSquares];
          opFund += agg[k + Metric.opFund];
          ipFund += agg[k + Metric.ipFund];
          ipCost += agg[k + Metric.ipCost];
          visits += agg[k + Metric.visits];
          admissions += agg[k + Metric.admissions];
          patients += agg[k + Metric.patients];
          capReached += agg[k + Metric.capReached];
          cohort.newPatients += agg[k + Metric.newPatients];
          cohort.deaths += agg[k + Metric.deaths];
          cohort.leavers += agg[k + Metric.leavers];
          cohort.ageSum += agg[k + Metric.ageSum];
        }
        for (const t of TIER_GROUPS) byTier[t].marginFen = byTier[t].revenueFen - byTier[t].costFen;
        return {
          year,
          fundOutlayFen: pay.fundOutlayFen,
          claimsFundFen: claimsFund,
          claimFundSquares: fundSquares,
          patientFen: cost - claimsFund,
          costFen: cost,
          opFundFen: opFund,
          ipFundFen: ipFund,
          ipCostFen: ipCost,
          visits,
          admissions,
          patients,
          cohort,
          capReached,
          byTier,
          settlement: pay.figures,
          outlayByStage: pay.stages,
          fundToFacilityFen: pay.fundToFacilityFen,
        };
      });
      openingFen ??= openingBalanceFen(c.scenario, c.horizonYears[0], enrollees[0], years[0].fundOutlayFen);
      const ledger = ledgerYears(c.scenario, c.horizonYears, enrollees, years.map((y) => y.fundOutlayFen), openingFen);
      return { name: model.name, type: model.type, years: years.map((y, i) => ({ ...y, ledger: ledger[i] })) };
    }),
  };
}
