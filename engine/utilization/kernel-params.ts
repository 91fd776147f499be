/**
 * The parameters in force, resolved once per month of the simulated years into flat typed arrays
 * that the kernel indexes directly (month m = yearIndex × 12 + monthOfYear). Resolving here keeps
 * dated-parameter lookups, object access and string keys out of the hot loop.
 */
import { yuanToFen } from '../money/fen.ts';
import { asDated, at } from '../params/param.ts';
import { indexedAt } from '../params/indexed.ts';
import { firstOfMonth, valueOn } from '../params/dated.ts';
import { OFF_SITE, RATE_BANDS, TIERS, WAIVER_SCOPES, type ScenarioFile } from '../params/schema.ts';
import {
  ABOVE_STANDARD, CONSULT_SLOT, DRUGS_ONLY, ELIGIBLE_SHARE, GROUP_STRIDE, GROUPS, IP_DEDUCTIBLE, IP_MU, IP_RATIO, IP_SIGMA, MASK_STRIDE, MASKS,
  newMonthTable, OFF_SITE_CUM, OFF_SITE_REDUCTION, PHARMACY_SHARE, PREPAYMENT, RATIO, RATIO_CITY, RE_REVIEW_MONTHS, REFILL_SLOT, RX_DAYS,
  SERVICE_MU, SERVICE_SIGMA, setPoissonRate, SHORTAGE_CATEGORY, SHORTAGE_SHARE, TIER_CUM0, TIER_CUM1, UNDESIGNATED_REDUCTION, VBP_FACTOR, WAIVER,
  WAIVER_SCOPE, AGE_SLOTS, DURATION_SLOTS, type MonthTable,
} from '../params/month-table.ts';

export interface KernelParams {
  years: number[];
  nMonths: number;
  /** Declared conditions (bit i of a patient's mask = condition i) and the number of masks, 2^K. */
  nConditions: number;
  nMasks: number;
  /** Index of the horizon's first year (re-review counts inactivity from there). */
  horizonStart: number;
  /** Per month × condition: log-median and log-sd of the daily drug cost. */
  drugMu: Float64Array;
  drugSigma: Float64Array;
  /** Per year × age band (AGE_SLOTS): multiplier of the daily drug cost. */
  drugAgeFactor: Float64Array;
  /** Per year: year-to-year correlation of a patient's log drug-cost level (AR(1), F8), and √(1 − ρ²). */
  rho: Float64Array;
  rhoC: Float64Array;
  /** A refill of more days than this is a long prescription. */
  longRxDays: number;
  /** Whether any month uses the optional features (so the kernel draws for them only then). */
  usesPharmacy: boolean;
  usesShortage: boolean;
  usesReReview: boolean;
  // per year
  deductibleFen: Float64Array;
  capFen: Float64Array;
  ipCapFen: Float64Array;
  /** Price index of each simulated year over the cost base year, by cost category (see {@link costIndex}). */
  priceIndex: PriceIndex;
  /** Everything else in force each month (ratios, shares, tier choice, off-site, Poisson rates): month-table.ts. */
  months: MonthTable;
}

const DAYS_PER_MONTH = 365.25 / 12;

/** Behaviour applied on top of the scenario's utilization (a payment model's provider response). */
export interface UtilizationModifier {
  /** Multiplies non-refill visits in the month. */
  consultFactor?: (year: number, month: number) => number;
  /** Share of hospital-tier visits moved to primary care (negative: primary visits moved to hospitals). */
  primaryShift?: (year: number, month: number) => number;
  /** Multiplies complication admissions in the month (health management preventing complications). */
  admissionFactor?: (year: number, month: number) => number;
}

export function compileKernelParams(s: ScenarioFile, years: number[], mod: UtilizationModifier = {}): KernelParams {
  const nY = years.length;
  const nM = nY * 12;
  const u = s.utilization;
  const b = s.benefits;
  const conds = Object.keys(s.population.prevalence);
  const K = conds.length;
  const nMasks = 1 << K;
  const months = newMonthTable(nM, nMasks);
  const R = months.rows;
  const kp: KernelParams = {
    years,
    nMonths: nM,
    nConditions: K,
    nMasks: nMasks,
    horizonStart: years.length - s.horizon.years,
    drugMu: new Float64Array(nM * K),
    drugSigma: new Float64Array(nM * K),
    drugAgeFactor: new Float64Array(nY * AGE_SLOTS),
    rho: new Float64Array(nY),
    rhoC: new Float64Array(nY),
    longRxDays: u.longPrescriptionDays,
    usesPharmacy: false,
    usesShortage: false,
    usesReReview: false,
    deductibleFen: new Float64Array(nY),
    capFen: new Float64Array(nY),
    ipCapFen: new Float64Array(nY),
    priceIndex: { drug: new Float64Array(nY), service: new Float64Array(nY), inpatient: new Float64Array(nY) },
    months,
  };
  for (let yi = 0; yi < nY; yi++) {
    const y = years[yi];
    // Deductible and cap, indexed after their last dated value when the scenario says so.
    kp.deductibleFen[yi] = yuanToFen(indexedAt(b.deductible, y, b.indexing?.deductible, u.costBaseYear));
    kp.capFen[yi] = yuanToFen(indexedAt(b.annualCap, y, b.indexing?.annualCap, u.costBaseYear));
    kp.ipCapFen[yi] = yuanToFen(at(b.inpatient.annualCap, y));
    for (const k of COST_CATEGORIES) kp.priceIndex[k][yi] = costIndex(s, y, k);
    const ageF = at(s.population.ageFactors, y);
    RATE_BANDS.forEach((band, a) => (kp.drugAgeFactor[yi * AGE_SLOTS + a] = ageF.drugCost[band]));
    kp.rho[yi] = at(s.population.costPersistence, y);
    kp.rhoC[yi] = Math.sqrt(1 - kp.rho[yi] * kp.rho[yi]);
    for (let mo = 1; mo <= 12; mo++) {
      const m = yi * 12 + mo - 1;
      const r = m * months.stride; // this month's row
      const ratio = at(b.ratio, y, mo);
      const pre = at(b.individualPrepayment, y, mo);
      const days = at(u.prescriptionDays, y, mo);
      const svc = at(u.serviceCostPerVisit, y, mo);
      const pref = at(u.tierPreference, y, mo);
      const shift = at(u.signedPrimaryShift, y, mo);
      // Patients' response to the ratio differential between primary care and hospitals.
      const resp = u.ratioResponse ? at(u.ratioResponse, y, mo) : undefined;
      const ratioShift =
        (resp ? Math.min(0.9, Math.max(-0.9, resp.elasticity * (ratio.township - ratio.hospital - resp.referenceDifferential))) : 0) +
        (mod.primaryShift?.(y, mo) ?? 0);
      const consultFactor = mod.consultFactor?.(y, mo) ?? 1;
      const admissionFactor = mod.admissionFactor?.(y, mo) ?? 1;
      TIERS.forEach((t, ti) => {
        R[r + RATIO + ti] = ratio[t];
        R[r + PREPAYMENT + ti] = pre[t];
        R[r + RX_DAYS + ti] = days[t];
        R[r + SERVICE_MU + ti] = Math.log(svc[t].median);
        R[r + SERVICE_SIGMA + ti] = svc[t].sigma;
      });
      R[r + WAIVER] = at(b.signingWaivesDeductible, y, mo) ? 1 : 0;
      R[r + WAIVER_SCOPE] = b.signingWaiver ? WAIVER_SCOPES.indexOf(at(b.signingWaiver.scope, y, mo)) : 0;
      R[r + ELIGIBLE_SHARE] = at(u.eligibleShare, y, mo);
      const drugDaysPerMonth = at(u.refillAdherence, y, mo) * DAYS_PER_MONTH;
      R[r + IP_DEDUCTIBLE] = yuanToFen(at(b.inpatient.deductible, y, mo));
      R[r + IP_RATIO] = at(b.inpatient.ratio, y, mo);
      const ip = at(u.hospitalizationCost, y, mo);
      R[r + IP_MU] = Math.log(ip.median);
      R[r + IP_SIGMA] = ip.sigma;
      const consult = at(u.consultVisitsPerMonth, y, mo);
      const hosp = at(u.hospitalizationRate, y, mo);
      const drug = at(u.dailyDrugCost, y, mo);
      conds.forEach((c, ci) => {
        kp.drugMu[m * K + ci] = Math.log(drug[c].median);
        kp.drugSigma[m * K + ci] = drug[c].sigma;
      });
      const undes = b.undesignatedReduction ? at(b.undesignatedReduction, y, mo) : undefined;
      const ageF = at(s.population.ageFactors, y, mo);
      const durF = at(s.population.complicationDurationFactor, y, mo);
      for (let mask = 0; mask < nMasks; mask++) {
        // A patient with several conditions: visit and admission rates add up; the undesignated
        // reduction is the largest of their conditions'.
        let lc = 0;
        let lh = 0;
        let red = 0;
        conds.forEach((c, ci) => {
          if ((mask & (1 << ci)) === 0) return;
          lc += consult[c];
          lh += hosp[c] / 12;
          red = Math.max(red, undes?.[c] ?? 0);
        });
        // By age band (and, for admissions, years since diagnosis): F8, docs/model.md.
        RATE_BANDS.forEach((band, a) => {
          setPoissonRate(months, m, CONSULT_SLOT + a * nMasks + mask, lc * consultFactor * ageF.consultVisits[band]);
          for (let d = 0; d < DURATION_SLOTS; d++) setPoissonRate(months, m, months.hospSlot + (a * DURATION_SLOTS + d) * nMasks + mask, lh * admissionFactor * ageF.admissions[band] * durF ** d);
        });
        R[r + MASKS + mask * MASK_STRIDE + UNDESIGNATED_REDUCTION] = red;
      }
      const vbp = u.vbp ? at(u.vbp, y, mo) : undefined;
      R[r + VBP_FACTOR] = vbp ? 1 - vbp.share * vbp.priceCut : 1;
      R[r + ABOVE_STANDARD] = b.drugAboveStandardShare ? at(b.drugAboveStandardShare, y, mo) : 0;
      R[r + DRUGS_ONLY] = b.eligibleDrugsOnly && at(b.eligibleDrugsOnly, y, mo) ? 1 : 0;
      R[r + RATIO_CITY] = b.cityHospitalRatio ? at(b.cityHospitalRatio, y, mo) : ratio.hospital;
      R[r + RE_REVIEW_MONTHS] = b.reReviewAfterMonths ? at(b.reReviewAfterMonths, y, mo) : 0;
      R[r + PHARMACY_SHARE] = u.pharmacyRefillShare ? at(u.pharmacyRefillShare, y, mo) : 0;
      const shortage = u.shortageOffSite ? at(u.shortageOffSite, y, mo) : undefined;
      R[r + SHORTAGE_SHARE] = shortage?.share ?? 0;
      R[r + SHORTAGE_CATEGORY] = shortage ? OFF_SITE.indexOf(shortage.category) : 0;
      if (R[r + PHARMACY_SHARE] > 0) kp.usesPharmacy = true;
      if (R[r + SHORTAGE_SHARE] > 0) kp.usesShortage = true;
      if (R[r + RE_REVIEW_MONTHS] > 0) kp.usesReReview = true;
      for (let urban = 0; urban < 2; urban++) {
        for (let signed = 0; signed < 2; signed++) {
          const p0 = pref[urban ? 'urban' : 'rural'];
          const p = shiftTowardsPrimary(p0, ratioShift);
          let pv = p.village;
          let pt = p.township;
          if (signed) {
            // A signed patient's shifted hospital visits go to their signed facility:
            // the village clinic for rural residents, the township/community centre for urban ones.
            const moved = p.hospital * shift;
            if (urban) pt += moved;
            else pv += moved;
          }
          const g = urban * 2 + signed;
          R[r + GROUPS + g * GROUP_STRIDE + TIER_CUM0] = pv;
          R[r + GROUPS + g * GROUP_STRIDE + TIER_CUM1] = pv + pt;
          // Refill visits: drug days needed ÷ mean days supplied per visit at the tiers this patient uses.
          const meanDays = pv * days.village + pt * days.township + (1 - pv - pt) * days.hospital;
          setPoissonRate(months, m, REFILL_SLOT + g, drugDaysPerMonth / meanDays);
        }
      }
      const off = at(u.offSiteShare, y, mo);
      const red = at(b.offSiteReduction, y, mo);
      let cum = 0;
      OFF_SITE.forEach((c, ci) => {
        cum += off[c];
        R[r + OFF_SITE_CUM + ci] = cum;
        R[r + OFF_SITE_REDUCTION + ci] = red[c];
      });
    }
  }
  return kp;
}

/**
 * Move `share` of hospital-tier visits to primary care (negative: from primary care to hospitals),
 * keeping the village:township proportion.
 */
export function shiftTowardsPrimary(p: { village: number; township: number; hospital: number }, share: number) {
  if (share === 0) return p;
  const primary = p.village + p.township;
  const moved = share > 0 ? p.hospital * share : primary * share; // negative share: a share of primary visits
  const hospital = p.hospital - moved;
  const scale = primary > 0 ? (primary + moved) / primary : 1;
  return { village: p.village * scale, township: p.township * scale, hospital };
}

/** Cost categories with a trend each (docs/model.md, "Costs and trends"). */
export const COST_CATEGORIES = ['drug', 'service', 'inpatient'] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];
export type PriceIndex = Record<CostCategory, Float64Array>;

/** The trend parameter of a cost category: its own, else `utilization.costTrend`. */
export function costTrendOf(s: ScenarioFile, category: CostCategory) {
  const u = s.utilization;
  return (category === 'drug' ? u.drugCostTrend : category === 'service' ? u.serviceCostTrend : u.inpatientCostTrend) ?? u.costTrend;
}

/**
 * Unit-cost index of `year` relative to the cost base year for a cost category: Π (1 + trend) over the
 * years between. The trend of a year is the value in force on its 1 January, or the earliest value
 * for years before it — never dependent on which years happen to be simulated.
 */
export function costIndex(s: ScenarioFile, year: number, category: CostCategory = 'service'): number {
  const base = s.utilization.costBaseYear;
  const d = asDated(costTrendOf(s, category));
  const trend = (y: number) => valueOn(d, firstOfMonth(y, 1)) ?? d.values[0].value;
  let idx = 1;
  for (let y = base + 1; y <= year; y++) idx *= 1 + trend(y);
  for (let y = year + 1; y <= base; y++) idx /= 1 + trend(y);
  return idx;
}
