/**
 * The parameters in force, resolved once per month of the simulated years into flat typed arrays
 * that the kernel indexes directly (month m = yearIndex × 12 + monthOfYear). Resolving here keeps
 * dated-parameter lookups, object access and string keys out of the hot loop.
 */
import { yuanToFen } from '../money/fen.ts';
import { asDated, at } from '../params/param.ts';
import { firstOfMonth, valueOn } from '../params/dated.ts';
import { OFF_SITE, TIERS, type ScenarioFile } from '../params/schema.ts';
import { packMonths, type MonthTable } from './month-table.ts';

export interface KernelParams {
  years: number[];
  nMonths: number;
  // per month × tier
  ratio: Float64Array;
  prepayment: Float64Array;
  prescriptionDays: Float64Array;
  serviceMu: Float64Array;
  serviceSigma: Float64Array;
  // per month
  waiver: Uint8Array;
  eligibleShare: Float64Array;
  drugDaysPerMonth: Float64Array;
  ipDeductibleFen: Float64Array;
  ipRatio: Float64Array;
  ipMu: Float64Array;
  ipSigma: Float64Array;
  /** Declared conditions (bit i of a patient's mask = condition i) and the number of masks, 2^K. */
  nConditions: number;
  nMasks: number;
  /** Index of the horizon's first year (re-review counts inactivity from there). */
  horizonStart: number;
  // per month × condition
  drugMu: Float64Array;
  drugSigma: Float64Array;
  // per month: VBP drug-cost factor, share of drug cost above the payment standard, city-hospital
  // ratio, re-review threshold (months; 0 = none), dual-channel pharmacy share of hospital-tier
  // refills, drug-shortage share of refills bought off-site and its off-site category
  vbpFactor: Float64Array;
  aboveStandard: Float64Array;
  drugsOnly: Uint8Array;
  ratioCity: Float64Array;
  reReviewMonths: Float64Array;
  pharmacyShare: Float64Array;
  shortageShare: Float64Array;
  shortageCategory: Int8Array;
  /** Per month × condition mask: ratio reduction outside the designated facility. */
  undesignatedReduction: Float64Array;
  /** A refill of more days than this is a long prescription. */
  longRxDays: number;
  /** Whether any month uses the optional features (so the kernel draws for them only then). */
  usesPharmacy: boolean;
  usesShortage: boolean;
  usesReReview: boolean;
  // exp(−λ) for the kernel's Poisson draws: refill visits per month × (urban·2 + signed);
  // other visits and admissions per month × condition mask (0 … 2^K − 1)
  refillL: Float64Array;
  consultL: Float64Array;
  hospL: Float64Array;
  refillLambda: Float64Array;
  consultLambda: Float64Array;
  hospLambda: Float64Array;
  // per month × (urban·2 + signed) × 2: cumulative probability of village, of village+township
  tierCum: Float64Array;
  // per month × off-site category: cumulative share, and ratio reduction
  offSiteCum: Float64Array;
  offSiteReduction: Float64Array;
  // per year
  deductibleFen: Float64Array;
  capFen: Float64Array;
  ipCapFen: Float64Array;
  costIndex: Float64Array;
  /** Mean admission cost of the previous year, fen: the reference of the DIP cost ratio r (F2). */
  ipRefMeanFen: Float64Array;
  /** Standard points of an admission: the mean admission cost at base-year prices (1 point = 1 fen then). */
  ipStdPoints: Float64Array;
  /** The per-month fields above packed into one row per month: what the kernel reads (month-table.ts). */
  months: MonthTable;
}

const DAYS_PER_MONTH = 365.25 / 12;

/** Behaviour applied on top of the scenario's utilization (a payment model's provider response). */
export interface UtilizationModifier {
  /** Multiplies non-refill visits in the month. */
  consultFactor?: (year: number, month: number) => number;
  /** Share of hospital-tier visits moved to primary care (negative: primary visits moved to hospitals). */
  primaryShift?: (year: number, month: number) => number;
}

export function compileKernelParams(s: ScenarioFile, years: number[], mod: UtilizationModifier = {}): KernelParams {
  const nY = years.length;
  const nM = nY * 12;
  const u = s.utilization;
  const b = s.benefits;
  const conds = Object.keys(s.population.prevalence);
  const K = conds.length;
  const nMasks = 1 << K;
  const kp: Omit<KernelParams, 'months'> = {
    years,
    nMonths: nM,
    ratio: new Float64Array(nM * 3),
    prepayment: new Float64Array(nM * 3),
    prescriptionDays: new Float64Array(nM * 3),
    serviceMu: new Float64Array(nM * 3),
    serviceSigma: new Float64Array(nM * 3),
    waiver: new Uint8Array(nM),
    eligibleShare: new Float64Array(nM),
    drugDaysPerMonth: new Float64Array(nM),
    ipDeductibleFen: new Float64Array(nM),
    ipRatio: new Float64Array(nM),
    ipMu: new Float64Array(nM),
    ipSigma: new Float64Array(nM),
    nConditions: K,
    nMasks: nMasks,
    horizonStart: years.length - s.horizon.years,
    drugMu: new Float64Array(nM * K),
    drugSigma: new Float64Array(nM * K),
    vbpFactor: new Float64Array(nM).fill(1),
    aboveStandard: new Float64Array(nM),
    drugsOnly: new Uint8Array(nM),
    ratioCity: new Float64Array(nM),
    reReviewMonths: new Float64Array(nM),
    pharmacyShare: new Float64Array(nM),
    shortageShare: new Float64Array(nM),
    shortageCategory: new Int8Array(nM),
    undesignatedReduction: new Float64Array(nM * nMasks),
    longRxDays: u.longPrescriptionDays,
    usesPharmacy: false,
    usesShortage: false,
    usesReReview: false,
    tierCum: new Float64Array(nM * 8),
    refillL: new Float64Array(nM * 4),
    consultL: new Float64Array(nM * nMasks),
    hospL: new Float64Array(nM * nMasks),
    refillLambda: new Float64Array(nM * 4),
    consultLambda: new Float64Array(nM * nMasks),
    hospLambda: new Float64Array(nM * nMasks),
    offSiteCum: new Float64Array(nM * 4),
    offSiteReduction: new Float64Array(nM * 4),
    deductibleFen: new Float64Array(nY),
    capFen: new Float64Array(nY),
    ipCapFen: new Float64Array(nY),
    costIndex: new Float64Array(nY),
    ipRefMeanFen: new Float64Array(nY),
    ipStdPoints: new Float64Array(nY),
  };
  for (let yi = 0; yi < nY; yi++) {
    const y = years[yi];
    kp.deductibleFen[yi] = yuanToFen(at(b.deductible, y));
    kp.capFen[yi] = yuanToFen(at(b.annualCap, y));
    kp.ipCapFen[yi] = yuanToFen(at(b.inpatient.annualCap, y));
    kp.costIndex[yi] = costIndex(s, y, years[0]);
    const ipc = at(u.hospitalizationCost, y);
    const meanAtBase = ipc.median * Math.exp((ipc.sigma * ipc.sigma) / 2) * 100; // lognormal mean, fen
    kp.ipStdPoints[yi] = meanAtBase;
    kp.ipRefMeanFen[yi] = meanAtBase * costIndex(s, y - 1, years[0]);
    for (let mo = 1; mo <= 12; mo++) {
      const m = yi * 12 + mo - 1;
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
      TIERS.forEach((t, ti) => {
        kp.ratio[m * 3 + ti] = ratio[t];
        kp.prepayment[m * 3 + ti] = pre[t];
        kp.prescriptionDays[m * 3 + ti] = days[t];
        kp.serviceMu[m * 3 + ti] = Math.log(svc[t].median);
        kp.serviceSigma[m * 3 + ti] = svc[t].sigma;
      });
      kp.waiver[m] = at(b.signingWaivesDeductible, y, mo) ? 1 : 0;
      kp.eligibleShare[m] = at(u.eligibleShare, y, mo);
      kp.drugDaysPerMonth[m] = at(u.refillAdherence, y, mo) * DAYS_PER_MONTH;
      kp.ipDeductibleFen[m] = yuanToFen(at(b.inpatient.deductible, y, mo));
      kp.ipRatio[m] = at(b.inpatient.ratio, y, mo);
      const ip = at(u.hospitalizationCost, y, mo);
      kp.ipMu[m] = Math.log(ip.median);
      kp.ipSigma[m] = ip.sigma;
      const consult = at(u.consultVisitsPerMonth, y, mo);
      const hosp = at(u.hospitalizationRate, y, mo);
      const drug = at(u.dailyDrugCost, y, mo);
      conds.forEach((c, ci) => {
        kp.drugMu[m * K + ci] = Math.log(drug[c].median);
        kp.drugSigma[m * K + ci] = drug[c].sigma;
      });
      const undes = b.undesignatedReduction ? at(b.undesignatedReduction, y, mo) : undefined;
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
        kp.consultLambda[m * nMasks + mask] = lc * consultFactor;
        kp.consultL[m * nMasks + mask] = Math.exp(-lc * consultFactor);
        kp.hospLambda[m * nMasks + mask] = lh;
        kp.hospL[m * nMasks + mask] = Math.exp(-lh);
        kp.undesignatedReduction[m * nMasks + mask] = red;
      }
      const vbp = u.vbp ? at(u.vbp, y, mo) : undefined;
      kp.vbpFactor[m] = vbp ? 1 - vbp.share * vbp.priceCut : 1;
      kp.aboveStandard[m] = b.drugAboveStandardShare ? at(b.drugAboveStandardShare, y, mo) : 0;
      kp.drugsOnly[m] = b.eligibleDrugsOnly && at(b.eligibleDrugsOnly, y, mo) ? 1 : 0;
      kp.ratioCity[m] = b.cityHospitalRatio ? at(b.cityHospitalRatio, y, mo) : ratio.hospital;
      kp.reReviewMonths[m] = b.reReviewAfterMonths ? at(b.reReviewAfterMonths, y, mo) : 0;
      kp.pharmacyShare[m] = u.pharmacyRefillShare ? at(u.pharmacyRefillShare, y, mo) : 0;
      const shortage = u.shortageOffSite ? at(u.shortageOffSite, y, mo) : undefined;
      kp.shortageShare[m] = shortage?.share ?? 0;
      kp.shortageCategory[m] = shortage ? OFF_SITE.indexOf(shortage.category) : 0;
      if (kp.pharmacyShare[m] > 0) kp.usesPharmacy = true;
      if (kp.shortageShare[m] > 0) kp.usesShortage = true;
      if (kp.reReviewMonths[m] > 0) kp.usesReReview = true;
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
          const k = (m * 4 + urban * 2 + signed) * 2;
          kp.tierCum[k] = pv;
          kp.tierCum[k + 1] = pv + pt;
          // Refill visits: drug days needed ÷ mean days supplied per visit at the tiers this patient uses.
          const meanDays = pv * days.village + pt * days.township + (1 - pv - pt) * days.hospital;
          kp.refillLambda[m * 4 + urban * 2 + signed] = kp.drugDaysPerMonth[m] / meanDays;
          kp.refillL[m * 4 + urban * 2 + signed] = Math.exp(-kp.drugDaysPerMonth[m] / meanDays);
        }
      }
      const off = at(u.offSiteShare, y, mo);
      const red = at(b.offSiteReduction, y, mo);
      let cum = 0;
      OFF_SITE.forEach((c, ci) => {
        cum += off[c];
        kp.offSiteCum[m * 4 + ci] = cum;
        kp.offSiteReduction[m * 4 + ci] = red[c];
      });
    }
  }
  return { ...kp, months: packMonths(kp) };
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

/**
 * Unit-cost index of `year` relative to the cost base year: Π (1 + trend) over the years between.
 * The trend of a year is the value in force on its 1 January, or the earliest value for years before
 * it — never dependent on which years happen to be simulated.
 */
export function costIndex(s: ScenarioFile, year: number, _firstYear?: number): number {
  const base = s.utilization.costBaseYear;
  const d = asDated(s.utilization.costTrend);
  const trend = (y: number) => valueOn(d, firstOfMonth(y, 1)) ?? d.values[0].value;
  let idx = 1;
  for (let y = base + 1; y <= year; y++) idx *= 1 + trend(y);
  for (let y = year + 1; y <= base; y++) idx /= 1 + trend(y);
  return idx;
}
