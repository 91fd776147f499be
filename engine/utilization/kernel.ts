/**
 * The simulation kernel: monthly utilization and per-claim adjudication (F4) for the patients of one
 * block over all simulated years, accumulated into facility-year aggregates.
 *
 * Per patient-year: a daily drug cost is drawn for the year (lognormal per condition); each month,
 * refill visits ~ Poisson(drug days needed ÷ mean days supplied per visit) — so longer prescriptions
 * mean fewer visits — and other visits ~ Poisson(rate by condition); each visit goes to a tier by the
 * patient's residence and signing, hospital-tier visits may be off-site; service cost per visit is
 * lognormal; complication admissions ~ Poisson(rate ÷ 12). Costs grow with the cost index.
 *
 * The benefit rules are the pure functions of `benefits/adjudicate.ts`, called per claim.
 * Claims are not stored: only aggregates (and, for tests and `explain`, an optional trace).
 *
 * Randomness: uniforms and standard normals are taken from buffers filled in bulk from two streams
 * (rng/buffered.ts), so the generator state lives in registers while filling and each draw here is
 * one array load. Poisson counts are drawn by inversion with exp(−λ) precomputed per month: one
 * uniform per count.
 */
import { deductibleApplied, deductibleMet, effectiveRatio, fundShare } from '../benefits/adjudicate.ts';
import { BUFFER_SIZE, fillNormals, fillUniforms } from '../rng/buffered.ts';
import { roundHalfUp } from '../money/fen.ts';
import type { PatientColumns } from '../population/synthesize.ts';
import type { UtilizationVariant } from './variants.ts';
import { Metric, NM } from './metrics.ts';

// Metric offsets as module constants (plain numbers in the hot loop).
const M_VISITS = Metric.visits;
const M_OP_COST = Metric.opCost;
const M_OP_ELIGIBLE = Metric.opEligible;
const M_OP_FUND = Metric.opFund;
const M_DRUG_COST = Metric.drugCost;
const M_REFILL_VISITS = Metric.refillVisits;
const M_ADMISSIONS = Metric.admissions;
const M_IP_COST = Metric.ipCost;
const M_IP_FUND = Metric.ipFund;
const M_PATIENTS = Metric.patients;
const M_SIGNED = Metric.signed;
const M_CAP_REACHED = Metric.capReached;
const M_HOME_OP_FUND = Metric.homeOpFund;
const M_HOME_IP_FUND = Metric.homeIpFund;
const M_IP_POINTS = Metric.ipPoints;
const M_IP_FLAGGED = Metric.ipFlagged;
const M_LONG_RX_DRUG = Metric.longRxDrugCost;
const M_RE_REVIEWED = Metric.reReviewed;

export interface ClaimTrace {
  kind: 'outpatient' | 'inpatient';
  patient: number;
  yearIndex: number;
  month: number;
  facility: number;
  tier: number;
  /** -1 on site, else the off-site category index. */
  offSite: number;
  refill: boolean;
  waived: boolean;
  costFen: number;
  eligibleFen: number;
  deductibleFen: number;
  ratio: number;
  fundFen: number;
  patientFen: number;
  /** Drug cost within costFen and drug days supplied (refills; 0 otherwise). */
  drugFen?: number;
  days?: number;
}

export interface PatientYearTrace {
  kind: 'patientYear';
  patient: number;
  yearIndex: number;
  costFen: number;
  fundFen: number;
  patientFen: number;
  opFundFen: number;
  capFen: number;
}

export type Trace = (e: ClaimTrace | PatientYearTrace) => void;

export interface KernelContext {
  variant: UtilizationVariant;
  nFacilities: number;
  offSiteFacility: number;
  /** Community index of each facility (-1 outside communities). */
  communityOf: Int32Array;
  /** Per facility: its county's dual-channel pharmacy (-1 when none). */
  pharmacyOf: Int32Array;
  /** Per facility: 1 for a city (level-3) hospital. */
  isCity: Uint8Array;
}

/**
 * The streams a block draws from, one pair per simulated year (index as in the kernel params'
 * years): uniforms and standard normals (4-word xoshiro128** states, advanced in place). A year's
 * draws never depend on how many years come before it.
 */
export interface KernelStreams {
  uniform: Uint32Array[];
  normal: Uint32Array[];
}

/** Poisson by inversion from one uniform `u`, given lambda and L = exp(−lambda). */
export function poissonInv(u: number, lambda: number, L: number): number {
  let k = 0;
  let p = L;
  let F = L;
  while (u > F && k < 1000) {
    k++;
    p *= lambda / k;
    F += p;
  }
  return k;
}

/**
 * Simulate `pop` (one block) drawing from `streams`, adding into `agg` (facility-year aggregates).
 * Years before `firstYear` are skipped for every patient (their streams are not drawn from).
 */
export function simulateBlock(ctx: KernelContext, pop: PatientColumns, streams: KernelStreams, agg: Float64Array, trace?: Trace, firstYear = 0): void {
  const kp = ctx.variant.kp;
  const pilot = ctx.variant.pilot;
  const communityOf = ctx.communityOf;
  const nF = ctx.nFacilities;
  const offSiteF = ctx.offSiteFacility;
  const nY = kp.years.length;
  const {
    ratio, prepayment, prescriptionDays, serviceMu, serviceSigma, waiver, eligibleShare, refillL, consultL, hospL,
    refillLambda, consultLambda, hospLambda, ipDeductibleFen, ipRatio, ipMu, ipSigma, drugMu, drugSigma, tierCum,
    offSiteCum, offSiteReduction, deductibleFen, capFen, ipCapFen, costIndex, ipRefMeanFen, ipStdPoints,
    nConditions, nMasks, horizonStart, vbpFactor, aboveStandard, drugsOnly, ratioCity, reReviewMonths, pharmacyShare,
    shortageShare, shortageCategory, undesignatedReduction, longRxDays, usesPharmacy, usesShortage, usesReReview,
  } = kp;
  const { pharmacyOf, isCity } = ctx;
  // Per-year draw buffers; the current year's are held in locals while simulating a patient-year.
  const ubs = streams.uniform.map(() => new Float64Array(BUFFER_SIZE));
  const zbs = streams.normal.map(() => new Float64Array(BUFFER_SIZE));
  const uis = new Int32Array(nY).fill(BUFFER_SIZE);
  const zis = new Int32Array(nY).fill(BUFFER_SIZE);
  let us = streams.uniform[0];
  let zs = streams.normal[0];
  let ub = ubs[0];
  let zb = zbs[0];
  let ui = BUFFER_SIZE;
  let zi = BUFFER_SIZE;

  for (let p = 0; p < pop.n; p++) {
    const cond = pop.conditions[p];
    const urban = pop.urban[p];
    const signed = pop.signed[p];
    const signedTier = urban; // rural → village clinic (0), urban → community/township centre (1)
    const fac0 = pop.village[p];
    const fac1 = pop.township[p];
    const fac2 = pop.hospital[p];
    const y1 = pop.exit[p] < nY ? pop.exit[p] : nY;
    // A capitation pilot's patients may be simulated with their providers' behaviour.
    const isPilot = pilot !== undefined && pilot.community[communityOf[fac1]] === 1;
    const pTierCum = isPilot ? pilot.kp.tierCum : tierCum;
    const pRefillLambda = isPilot ? pilot.kp.refillLambda : refillLambda;
    const pRefillL = isPilot ? pilot.kp.refillL : refillL;
    const pConsultLambda = isPilot ? pilot.kp.consultLambda : consultLambda;
    const pConsultL = isPilot ? pilot.kp.consultL : consultL;
    let idle = 0; // consecutive months without a claim, counted from the horizon's start
    let gone = false;
    for (let yi = pop.entry[p] > firstYear ? pop.entry[p] : firstYear; yi < y1; yi++) {
      us = streams.uniform[yi];
      zs = streams.normal[yi];
      ub = ubs[yi];
      zb = zbs[yi];
      ui = uis[yi];
      zi = zis[yi];
      const ci = costIndex[yi];
      const m0 = yi * 12;
      // This year's regimen: daily drug cost (yuan/day), drawn once for the year.
      let daily = 0;
      for (let c = 0; c < nConditions; c++) {
        if ((cond & (1 << c)) === 0) continue;
        if (zi === BUFFER_SIZE) { fillNormals(zs, zb); zi = 0; }
        daily += Math.exp(drugMu[m0 * nConditions + c] + drugSigma[m0 * nConditions + c] * zb[zi++]);
      }
      daily *= ci;
      let dedLeft = deductibleFen[yi];
      let capLeft = capFen[yi];
      const cap = capLeft;
      let ipCapLeft = ipCapFen[yi];
      let pyCost = 0;
      let pyFund = 0;
      let pyOpFund = 0;
      const base = yi * nF;
      for (let mo = 0; mo < 12; mo++) {
        const m = m0 + mo;
        const tk = (m * 4 + urban * 2 + signed) * 2;
        const c0 = pTierCum[tk];
        const c1 = pTierCum[tk + 1];
        if (ui + 3 > BUFFER_SIZE) { ub.copyWithin(0, ui); fillUniforms(us, ub.subarray(BUFFER_SIZE - ui)); ui = 0; }
        const ks = m * 4 + urban * 2 + signed;
        const nRefill = poissonInv(ub[ui++], pRefillLambda[ks], pRefillL[ks]);
        const kc = m * nMasks + cond;
        const nVisits = nRefill + poissonInv(ub[ui++], pConsultLambda[kc], pConsultL[kc]);
        const nAdm = poissonInv(ub[ui++], hospLambda[kc], hospL[kc]);
        const elig = eligibleShare[m];
        const waiveMonth = waiver[m] === 1 && signed === 1;
        const undesRed = undesignatedReduction[kc];
        for (let v = 0; v < nVisits; v++) {
          const refill = v < nRefill;
          if (ui + 4 > BUFFER_SIZE) { ub.copyWithin(0, ui); fillUniforms(us, ub.subarray(BUFFER_SIZE - ui)); ui = 0; }
          let t: number;
          let f: number;
          let off = -1;
          let red = 0;
          // A drug shortage sends a share of refills out of the county (settled off-site).
          if (usesShortage && refill && ub[ui++] < shortageShare[m]) {
            t = 2;
            off = shortageCategory[m];
            red = offSiteReduction[m * 4 + off];
            f = offSiteF;
          } else {
            const u = ub[ui++];
            t = u < c0 ? 0 : u < c1 ? 1 : 2;
            f = t === 0 ? fac0 : t === 1 ? fac1 : fac2;
            if (t === 2) {
              const w = ub[ui++];
              if (w < offSiteCum[m * 4 + 3]) {
                off = w < offSiteCum[m * 4] ? 0 : w < offSiteCum[m * 4 + 1] ? 1 : w < offSiteCum[m * 4 + 2] ? 2 : 3;
                red = offSiteReduction[m * 4 + off];
                f = offSiteF;
              } else if (usesPharmacy && refill && ub[ui++] < pharmacyShare[m] && pharmacyOf[fac1] >= 0) {
                f = pharmacyOf[fac1]; // dual-channel pharmacy: settled like a designated facility
              }
            }
          }
          // Outside the designated facility (the patient's hospital), some conditions lose ratio points.
          if (undesRed > 0 && f !== fac2) red += undesRed;
          if (zi === BUFFER_SIZE) { fillNormals(zs, zb); zi = 0; }
          const svc = Math.exp(serviceMu[m * 3 + t] + serviceSigma[m * 3 + t] * zb[zi++]) * ci;
          const days = prescriptionDays[m * 3 + t];
          const drugFen = refill ? roundHalfUp(days * daily * vbpFactor[m] * 100) : 0;
          const costFen = roundHalfUp(svc * 100) + drugFen;
          // Drug spending above the payment standard is the patient's, outside eligible cost.
          const eligBase = drugsOnly[m] === 1 ? drugFen * (1 - aboveStandard[m]) : costFen - drugFen * aboveStandard[m];
          const eligFen = roundHalfUp(eligBase * elig * (1 - prepayment[m * 3 + t]));
          const waived = waiveMonth && t === signedTier && off < 0;
          const met = deductibleMet(eligFen, dedLeft);
          const ded = waived ? 0 : met; // a waived claim still counts towards the deductible
          const rate = effectiveRatio(t === 2 && f === fac2 && isCity[fac2] === 1 ? ratioCity[m] : ratio[m * 3 + t], red);
          const fund = fundShare(eligFen, ded, capLeft, rate);
          dedLeft -= met;
          capLeft -= fund;
          const k = (base + f) * NM;
          agg[k + M_VISITS] += 1;
          agg[k + M_OP_COST] += costFen;
          agg[k + M_OP_ELIGIBLE] += eligFen;
          agg[k + M_OP_FUND] += fund;
          agg[k + M_DRUG_COST] += drugFen;
          if (refill) {
            agg[k + M_REFILL_VISITS] += 1;
            if (days > longRxDays) agg[k + M_LONG_RX_DRUG] += drugFen;
          }
          pyCost += costFen;
          pyFund += fund;
          pyOpFund += fund;
          if (trace !== undefined) {
            trace({ kind: 'outpatient', patient: p, yearIndex: yi, month: mo + 1, facility: f, tier: t, offSite: off, refill, waived, costFen, eligibleFen: eligFen, deductibleFen: ded, ratio: rate, fundFen: fund, patientFen: costFen - fund, drugFen, days: refill ? days : 0 });
          }
        }
        if (usesReReview && yi >= horizonStart) {
          idle = nVisits + nAdm === 0 ? idle + 1 : 0;
          // No condition-related cost for this many months: the patient leaves for re-review (复审)
          // after this month.
          if (reReviewMonths[m] > 0 && idle >= reReviewMonths[m]) gone = true;
        }
        for (let a = 0; a < nAdm; a++) {
          if (zi === BUFFER_SIZE) { fillNormals(zs, zb); zi = 0; }
          const costFen = roundHalfUp(Math.exp(ipMu[m] + ipSigma[m] * zb[zi++]) * ci * 100);
          const eligFen = roundHalfUp(costFen * elig);
          const ded = deductibleApplied(eligFen, ipDeductibleFen[m], false);
          const fund = fundShare(eligFen, ded, ipCapLeft, ipRatio[m]);
          ipCapLeft -= fund;
          // DIP outlier coefficient (F2) against last year's mean admission cost: r < 0.5 → r,
          // r ≥ 2 → (r − 2) + 1, else 1; r > 5 flagged for review. Points at base-year prices.
          const r = costFen / ipRefMeanFen[yi];
          const coef = r < 0.5 ? r : r >= 2 ? r - 1 : 1;
          const k = (base + fac2) * NM;
          agg[k + M_IP_POINTS] += roundHalfUp(ipStdPoints[yi] * coef);
          if (r > 5) agg[k + M_IP_FLAGGED] += 1;
          agg[k + M_ADMISSIONS] += 1;
          agg[k + M_IP_COST] += costFen;
          agg[k + M_IP_FUND] += fund;
          pyCost += costFen;
          pyFund += fund;
          if (trace !== undefined) {
            trace({ kind: 'inpatient', patient: p, yearIndex: yi, month: mo + 1, facility: fac2, tier: 2, offSite: -1, refill: false, waived: false, costFen, eligibleFen: eligFen, deductibleFen: ded, ratio: ipRatio[m], fundFen: fund, patientFen: costFen - fund });
          }
        }
        if (gone) break;
      }
      uis[yi] = ui;
      zis[yi] = zi;
      const kh = (base + fac0) * NM;
      agg[kh + M_PATIENTS] += 1;
      agg[kh + M_SIGNED] += signed;
      if (capLeft === 0 && cap > 0) agg[kh + M_CAP_REACHED] += 1;
      agg[kh + M_HOME_OP_FUND] += pyOpFund;
      agg[kh + M_HOME_IP_FUND] += pyFund - pyOpFund;
      if (gone) agg[kh + M_RE_REVIEWED] += 1;
      if (trace !== undefined) trace({ kind: 'patientYear', patient: p, yearIndex: yi, costFen: pyCost, fundFen: pyFund, patientFen: pyCost - pyFund, opFundFen: pyOpFund, capFen: cap });
      if (gone) break;
    }
  }
}
