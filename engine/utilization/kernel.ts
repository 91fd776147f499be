/**
 * The simulation kernel: monthly utilization and per-claim adjudication (F4) for the patients of one
 * block over all simulated years, accumulated into facility-year aggregates.
 *
 * Per patient-year: a daily drug cost is drawn for the year (lognormal per condition); each month,
 * refill visits ~ Poisson(drug days needed ÷ mean days supplied per visit) — so longer prescriptions
 * mean fewer visits — and other visits ~ Poisson(rate by condition); each visit goes to a tier by the
 * patient's residence and signing, hospital-tier visits may be off-site; service cost per visit is
 * lognormal; complication admissions ~ Poisson(rate ÷ 12). Costs grow with their price index (drugs, services, admissions: kernel-params.ts `costIndex`).
 *
 * The benefit rules are the pure functions of `benefits/adjudicate.ts`, called per claim.
 * Claims are not stored: only aggregates (and, for tests and `explain`, an optional trace).
 *
 * Randomness: each patient-year draws from its own two sub-streams (rng/stream.ts `seedSubStream`
 * of the block-year's keys): uniforms and standard normals. So what one patient draws never shifts
 * another patient's draws, and a utilization variant that changes one patient-year's draws (provider
 * behaviour) leaves every other patient-year paired. The streams' xoshiro128** states live in local
 * variables (s0..s3, z0..z3): each step is written out where it is drawn (the line marked "step"),
 * because a generator in an object or closure costs the hot loop a load and a store per word.
 * Normals by the ziggurat (rng/ziggurat.ts: fast path here, the 1.2% rest in `zigguratSlow`),
 * e^x by `expTable` (rng/exp.ts: as accurate as Math.exp, inlined), monthly Poisson counts by
 * inversion against integer thresholds (rng/poisson-table.ts). Every method is exact.
 * docs/performance.md measures what each choice saves.
 */
import { deductibleApplied, deductibleMet, fundShare } from '../benefits/adjudicate.ts';
import { inpatientEligibleFen, inpatientRatio, offSiteReduction, outpatientEligibleFen, outpatientRatio, undesignatedReduction, waiverApplies } from '../benefits/claim-rules.ts';
import { roundHalfUp } from '../money/fen.ts';
import { expTable } from '../rng/exp.ts';
import { POISSON_K, POISSON_TAIL, poissonTail } from '../rng/poisson-table.ts';
import { seedSubStream } from '../rng/stream.ts';
import * as ZIG from '../rng/ziggurat.ts';
import { EXIT_DEATH, EXIT_LEAVER, type PatientColumns } from '../population/synthesize.ts';
import { levelsAt } from './persistence.ts';
import type { UtilizationVariant } from './variants.ts';
import { Metric, type AggLayout, type ClaimFigure } from './metrics.ts';
import {
  ABOVE_STANDARD, AGE_SLOTS, CONSULT_SLOT, DURATION_SLOTS, DRUGS_ONLY, ELIGIBLE_SHARE, GROUP_STRIDE, GROUPS, IP_DEDUCTIBLE, IP_MU, IP_RATIO, IP_SIGMA, MASK_STRIDE, MASKS,
  OFF_SITE_CUM, OFF_SITE_REDUCTION, PHARMACY_SHARE, PREPAYMENT, RATIO, RATIO_CITY, RE_REVIEW_MONTHS, REFILL_SLOT, RX_DAYS, SERVICE_MU, SERVICE_SIGMA,
  SHORTAGE_CATEGORY, SHORTAGE_SHARE, TIER_CUM0, TIER_CUM1, UNDESIGNATED_REDUCTION, VBP_FACTOR, WAIVER,
} from '../params/month-table.ts';

const TWO_M32 = 2 ** -32;
const HALF_U = 2 ** -33;
// Module-local copies of the ziggurat's tables: V8 reads a module's own constants faster than
// imported bindings (measured on W: 202 → 167 ns per patient-year).
const { KN, WN, zigguratSlow } = ZIG;

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
const M_FUND_SQUARES = Metric.fundSquares;
const M_PATIENTS = Metric.patients;
const M_SIGNED = Metric.signed;
const M_CAP_REACHED = Metric.capReached;
const M_HOME_OP_FUND = Metric.homeOpFund;
const M_HOME_IP_FUND = Metric.homeIpFund;
const M_LONG_RX_DRUG = Metric.longRxDrugCost;
const M_RE_REVIEWED = Metric.reReviewed;
const M_NEW = Metric.newPatients;
const M_DEATHS = Metric.deaths;
const M_LEAVERS = Metric.leavers;
const M_AGE_SUM = Metric.ageSum;
/** Age band of the rates (RATE_BANDS) of an age 0..120. */
const BAND_OF_AGE = Uint8Array.from({ length: 121 }, (_, a) => (a < 45 ? 0 : a < 60 ? 1 : a < 70 ? 2 : a < 80 ? 3 : 4));

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
  /** Where each metric goes in `agg`, and the claim figures of the payment models (in slot order). */
  layout: AggLayout;
  figures: readonly ClaimFigure[];
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
 * The streams a block draws from, per simulated year (index as in the kernel params' years): the
 * keys (rng/stream.ts `streamKey`) of its uniform and normal streams. Patient p's draws in that year
 * come from sub-streams p of each. A year's draws never depend on how many years come before it.
 */
export interface KernelStreams {
  uniform: ArrayLike<number>;
  normal: ArrayLike<number>;
}

/**
 * Simulate `pop` (one block) drawing from `streams`, adding into `agg` (facility-year aggregates).
 * Years before `firstYear`, and from `endYear` on, are skipped for every patient (their streams are not
 * drawn from).
 *
 * One long function on purpose: it is the hot loop (≈ 1 µs per patient-year, docs/performance.md), and
 * its per-visit state (deductible left, cap left, month, cost level) lives in locals; helpers returning
 * several of them would allocate an object per visit. The rules it applies per claim are separate
 * modules (benefits/ adjudication, the month table of params/).
 */
export function simulateBlock(ctx: KernelContext, pop: PatientColumns, streams: KernelStreams, agg: Float64Array, trace?: Trace, firstYear = 0, endYear = Infinity): void {
  const kp = ctx.variant.kp;
  const pilot = ctx.variant.pilot;
  const communityOf = ctx.communityOf;
  const nF = ctx.nFacilities;
  const offSiteF = ctx.offSiteFacility;
  const nY = kp.years.length;
  const { drugMu, drugSigma, nConditions, horizonStart, deductibleFen, capFen, ipCapFen, longRxDays, usesPharmacy, usesShortage, usesReReview } = kp;
  const drugIndex = kp.priceIndex.drug;
  const serviceIndex = kp.priceIndex.service;
  const inpatientIndex = kp.priceIndex.inpatient;
  const nm = ctx.layout.nm;
  const figures = ctx.figures;
  const nFig = figures.length;
  const fig0 = nm - nFig; // slot of the first claim figure
  const { pharmacyOf, isCity } = ctx;
  const S = kp.months.stride;
  const nSlots = kp.months.poissonSlots;
  const hospSlot = kp.months.hospSlot;
  const nMasks = kp.nMasks;
  const { drugAgeFactor, rho, rhoC } = kp;
  // The drug-cost levels' AR(1) (utilization/persistence.ts): this year's ε, the levels, scratch.
  const eps = new Float64Array(nConditions);
  const level = new Float64Array(nConditions);
  const tmpLevel = new Float64Array(nConditions);
  const st4 = new Int32Array(4);
  // The streams' states pass through `st` only to seed them and on the ziggurat's slow path.
  const st = new Int32Array(8);
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0; // uniforms
  let z0 = 0, z1 = 0, z2 = 0, z3 = 0; // normals
  let x = 0, r = 0, t = 0; // a step's scratch

  for (let p = 0; p < pop.n; p++) {
    const cond = pop.conditions[p];
    const urban = pop.urban[p];
    const signed = pop.signed[p];
    const signedTier = urban; // rural → village clinic (0), urban → community/township centre (1)
    const fac0 = pop.village[p];
    const fac1 = pop.township[p];
    const fac2 = pop.hospital[p];
    const y1 = Math.min(pop.exit[p], nY, endYear);
    const entryYear = pop.entry[p];
    const lastYear = pop.exit[p] - 1;
    const birth = pop.birth[p];
    const diagnosis = pop.diagnosis[p];
    // The drug-cost levels are anchored at the horizon's start, or at the year a new patient registers.
    const anchor = pop.isNew[p] === 1 ? entryYear : horizonStart;
    let levelYear = -1; // the year whose levels `level` holds
    // A capitation pilot's patients may be simulated with their providers' behaviour (the pilot's
    // table differs in tier preference, refills and other visits; every other field is the same).
    const months = pilot !== undefined && pilot.community[communityOf[fac1]] === 1 ? pilot.kp.months : kp.months;
    const T = months.rows;
    const PT = months.poissonT;
    const PL = months.poissonTail;
    const gOff = GROUPS + (urban * 2 + signed) * GROUP_STRIDE;
    const refillSlot = REFILL_SLOT + urban * 2 + signed;
    let idle = 0; // consecutive months without a claim, counted from the horizon's start
    let gone = false;
    for (let yi = pop.entry[p] > firstYear ? pop.entry[p] : firstYear; yi < y1; yi++) {
      seedSubStream(streams.uniform[yi], p, st, 0);
      seedSubStream(streams.normal[yi], p, st, 4);
      s0 = st[0]; s1 = st[1]; s2 = st[2]; s3 = st[3];
      z0 = st[4]; z1 = st[5]; z2 = st[6]; z3 = st[7];
      const ci = serviceIndex[yi];
      const cd = drugIndex[yi];
      const cip = inpatientIndex[yi];
      const m0 = yi * 12;
      // The patient this year: age band, years since diagnosis, the months in care.
      const age = yi - birth < 18 ? 18 : yi - birth > 120 ? 120 : yi - birth;
      const band = BAND_OF_AGE[age];
      const since = yi - diagnosis;
      const dur = since < 5 ? 0 : since < 10 ? 1 : since < 15 ? 2 : 3;
      const consultSlot = CONSULT_SLOT + band * nMasks + cond;
      const admSlot = hospSlot + (band * DURATION_SLOTS + dur) * nMasks + cond;
      const moStart = yi === entryYear ? pop.entryMonth[p] : 0;
      const moEnd = yi === lastYear ? pop.exitMonth[p] : 12;
      // This year's regimen: daily drug cost (yuan/day) for the year, each condition's at its
      // persistent level z (AR(1) on the log scale over the patient's years).
      let k = 0;
      for (let c = 0; c < nConditions; c++) {
        if ((cond & (1 << c)) === 0) continue;
        x = Math.imul(z1, 5); r = Math.imul((x << 7) | (x >>> 25), 9); t = z1 << 9; z2 ^= z0; z3 ^= z1; z1 ^= z2; z0 ^= z3; z2 ^= t; z3 = (z3 << 11) | (z3 >>> 21); // step
        let zn = (r >> 7) * WN[r & 127];
        if (!(Math.abs(r >> 7) < KN[r & 127])) {
          st[4] = z0; st[5] = z1; st[6] = z2; st[7] = z3;
          zn = zigguratSlow(st, 4, r);
          z0 = st[4]; z1 = st[5]; z2 = st[6]; z3 = st[7];
        }
        eps[k++] = zn;
      }
      if (yi > anchor && levelYear === yi - 1) for (let j = 0; j < k; j++) level[j] = rho[yi] * level[j] + rhoC[yi] * eps[j];
      else levelsAt(yi, anchor, k, eps, streams.normal, p, rho, rhoC, st4, tmpLevel, level);
      levelYear = yi;
      let daily = 0;
      k = 0;
      for (let c = 0; c < nConditions; c++) {
        if ((cond & (1 << c)) === 0) continue;
        daily += expTable(drugMu[m0 * nConditions + c] + drugSigma[m0 * nConditions + c] * level[k++]);
      }
      daily *= cd * drugAgeFactor[yi * AGE_SLOTS + band];
      let dedLeft = deductibleFen[yi];
      let capLeft = capFen[yi];
      const cap = capLeft;
      let ipCapLeft = ipCapFen[yi];
      let pyCost = 0;
      let pyFund = 0;
      let pyOpFund = 0;
      // Σ (fund per claim)² for the collective risk model (metrics.ts fundSquares): exact in fen² in a
      // local, rounded to yuan² and booked once per patient-year at the home clinic (only its total
      // over facilities is read). Rounding each claim instead cost ≈ 10% of the kernel (bench:kernel).
      let pySquares = 0;
      const base = yi * nF;
      for (let mo = moStart; mo < moEnd; mo++) {
        const m = m0 + mo;
        const row = m * S; // this month's row of T
        // Counts: refill visits, other visits, admissions. N = #{j < K : q ≥ T[j]} (+ the tail).
        x = Math.imul(s1, 5); r = Math.imul((x << 7) | (x >>> 25), 9); t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21); // step
        let q = r >>> 1;
        let o = (m * nSlots + refillSlot) * POISSON_K;
        const nRefill = q < PT[o + 3] ? -(((PT[o] - q - 1) >> 31) + ((PT[o + 1] - q - 1) >> 31) + ((PT[o + 2] - q - 1) >> 31)) : poissonTail(q, PL, (m * nSlots + refillSlot) * POISSON_TAIL);
        x = Math.imul(s1, 5); r = Math.imul((x << 7) | (x >>> 25), 9); t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21); // step
        q = r >>> 1;
        o = (m * nSlots + consultSlot) * POISSON_K;
        const nVisits = nRefill + (q < PT[o + 3] ? -(((PT[o] - q - 1) >> 31) + ((PT[o + 1] - q - 1) >> 31) + ((PT[o + 2] - q - 1) >> 31)) : poissonTail(q, PL, (m * nSlots + consultSlot) * POISSON_TAIL));
        x = Math.imul(s1, 5); r = Math.imul((x << 7) | (x >>> 25), 9); t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21); // step
        q = r >>> 1;
        o = (m * nSlots + admSlot) * POISSON_K;
        const nAdm = q < PT[o] ? 0 : q < PT[o + 3] ? 1 - (((PT[o + 1] - q - 1) >> 31) + ((PT[o + 2] - q - 1) >> 31)) : poissonTail(q, PL, (m * nSlots + admSlot) * POISSON_TAIL);
        const c0 = T[row + gOff + TIER_CUM0];
        const c1 = T[row + gOff + TIER_CUM1];
        const undesRed = undesignatedReduction(T, row, cond);
        for (let v = 0; v < nVisits; v++) {
          const refill = v < nRefill;
          let tier: number;
          let f: number;
          let off = -1;
          let red = 0;
          x = Math.imul(s1, 5); r = Math.imul((x << 7) | (x >>> 25), 9); t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21); // step
          const u = (r >>> 0) * TWO_M32 + HALF_U;
          // A drug shortage sends a share of refills out of the county (settled off-site).
          if (usesShortage && refill && u < T[row + SHORTAGE_SHARE]) {
            tier = 2;
            off = T[row + SHORTAGE_CATEGORY];
            red = offSiteReduction(T, row, off);
            f = offSiteF;
          } else {
            let ut = u;
            if (usesShortage && refill) {
              // The shortage draw came first: the tier takes a uniform of its own.
              x = Math.imul(s1, 5); r = Math.imul((x << 7) | (x >>> 25), 9); t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21); // step
              ut = (r >>> 0) * TWO_M32 + HALF_U;
            }
            tier = ut < c0 ? 0 : ut < c1 ? 1 : 2;
            f = tier === 0 ? fac0 : tier === 1 ? fac1 : fac2;
            if (tier === 2) {
              x = Math.imul(s1, 5); r = Math.imul((x << 7) | (x >>> 25), 9); t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21); // step
              const w = (r >>> 0) * TWO_M32 + HALF_U;
              if (w < T[row + OFF_SITE_CUM + 3]) {
                off = w < T[row + OFF_SITE_CUM] ? 0 : w < T[row + OFF_SITE_CUM + 1] ? 1 : w < T[row + OFF_SITE_CUM + 2] ? 2 : 3;
                red = offSiteReduction(T, row, off);
                f = offSiteF;
              } else if (usesPharmacy && refill && pharmacyOf[fac1] >= 0) {
                x = Math.imul(s1, 5); r = Math.imul((x << 7) | (x >>> 25), 9); t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21); // step
                // dual-channel pharmacy: settled like a designated facility
                if ((r >>> 0) * TWO_M32 + HALF_U < T[row + PHARMACY_SHARE]) f = pharmacyOf[fac1];
              }
            }
          }
          // Outside the designated facility (the patient's hospital), some conditions lose ratio points.
          if (undesRed > 0 && f !== fac2) red += undesRed;
          x = Math.imul(z1, 5); r = Math.imul((x << 7) | (x >>> 25), 9); t = z1 << 9; z2 ^= z0; z3 ^= z1; z1 ^= z2; z0 ^= z3; z2 ^= t; z3 = (z3 << 11) | (z3 >>> 21); // step
          let zn = (r >> 7) * WN[r & 127];
          if (!(Math.abs(r >> 7) < KN[r & 127])) {
            st[4] = z0; st[5] = z1; st[6] = z2; st[7] = z3;
            zn = zigguratSlow(st, 4, r);
            z0 = st[4]; z1 = st[5]; z2 = st[6]; z3 = st[7];
          }
          const svc = expTable(T[row + SERVICE_MU + tier] + T[row + SERVICE_SIGMA + tier] * zn) * ci;
          const days = T[row + RX_DAYS + tier];
          const drugFen = refill ? roundHalfUp(days * daily * T[row + VBP_FACTOR] * 100) : 0;
          const costFen = roundHalfUp(svc * 100) + drugFen;
          // The benefit rules of the claim (benefits/claim-rules.ts, F4), as replay applies them.
          const eligFen = outpatientEligibleFen(T, row, tier, costFen, drugFen);
          const waived = waiverApplies(T, row, signed === 1, tier, tier === signedTier, off < 0);
          const met = deductibleMet(eligFen, dedLeft);
          const ded = waived ? 0 : met; // a waived claim still counts towards the deductible
          const rate = outpatientRatio(T, row, tier, tier === 2 && f === fac2 && isCity[fac2] === 1, red);
          const fund = fundShare(eligFen, ded, capLeft, rate);
          dedLeft -= met;
          capLeft -= fund;
          const k = (base + f) * nm;
          agg[k + M_VISITS] += 1;
          agg[k + M_OP_COST] += costFen;
          agg[k + M_OP_ELIGIBLE] += eligFen;
          agg[k + M_OP_FUND] += fund;
          pySquares += fund * fund;
          agg[k + M_DRUG_COST] += drugFen;
          if (refill) {
            agg[k + M_REFILL_VISITS] += 1;
            if (days > longRxDays) agg[k + M_LONG_RX_DRUG] += drugFen;
          }
          pyCost += costFen;
          pyFund += fund;
          pyOpFund += fund;
          if (trace !== undefined) {
            trace({ kind: 'outpatient', patient: p, yearIndex: yi, month: mo + 1, facility: f, tier, offSite: off, refill, waived, costFen, eligibleFen: eligFen, deductibleFen: ded, ratio: rate, fundFen: fund, patientFen: costFen - fund, drugFen, days: refill ? days : 0 });
          }
        }
        if (usesReReview && yi >= horizonStart) {
          idle = nVisits + nAdm === 0 ? idle + 1 : 0;
          // No condition-related cost for this many months: the patient leaves for re-review (复审)
          // after this month.
          const rr = T[row + RE_REVIEW_MONTHS];
          if (rr > 0 && idle >= rr) gone = true;
        }
        for (let a = 0; a < nAdm; a++) {
          x = Math.imul(z1, 5); r = Math.imul((x << 7) | (x >>> 25), 9); t = z1 << 9; z2 ^= z0; z3 ^= z1; z1 ^= z2; z0 ^= z3; z2 ^= t; z3 = (z3 << 11) | (z3 >>> 21); // step
          let zn = (r >> 7) * WN[r & 127];
          if (!(Math.abs(r >> 7) < KN[r & 127])) {
            st[4] = z0; st[5] = z1; st[6] = z2; st[7] = z3;
            zn = zigguratSlow(st, 4, r);
            z0 = st[4]; z1 = st[5]; z2 = st[6]; z3 = st[7];
          }
          const costFen = roundHalfUp(expTable(T[row + IP_MU] + T[row + IP_SIGMA] * zn) * cip * 100);
          const eligFen = inpatientEligibleFen(T, row, costFen);
          const ded = deductibleApplied(eligFen, T[row + IP_DEDUCTIBLE], false);
          const ipRate = inpatientRatio(T, row, 0);
          const fund = fundShare(eligFen, ded, ipCapLeft, ipRate);
          ipCapLeft -= fund;
          const k = (base + fac2) * nm;
          // The payment models' claim figures of this admission (e.g. the points model's DIP points).
          for (let j = 0; j < nFig; j++) agg[k + fig0 + j] += figures[j].admission(costFen, yi);
          agg[k + M_ADMISSIONS] += 1;
          agg[k + M_IP_COST] += costFen;
          agg[k + M_IP_FUND] += fund;
          pySquares += fund * fund;
          pyCost += costFen;
          pyFund += fund;
          if (trace !== undefined) {
            trace({ kind: 'inpatient', patient: p, yearIndex: yi, month: mo + 1, facility: fac2, tier: 2, offSite: -1, refill: false, waived: false, costFen, eligibleFen: eligFen, deductibleFen: ded, ratio: ipRate, fundFen: fund, patientFen: costFen - fund });
          }
        }
        if (gone) break;
      }
      const kh = (base + fac0) * nm;
      agg[kh + M_PATIENTS] += 1;
      agg[kh + M_SIGNED] += signed;
      if (capLeft === 0 && cap > 0) agg[kh + M_CAP_REACHED] += 1;
      agg[kh + M_HOME_OP_FUND] += pyOpFund;
      agg[kh + M_HOME_IP_FUND] += pyFund - pyOpFund;
      agg[kh + M_FUND_SQUARES] += Math.round(pySquares * 1e-4);
      if (gone) agg[kh + M_RE_REVIEWED] += 1;
      // The cohort's flows (F8), booked at the home village clinic.
      agg[kh + M_AGE_SUM] += age;
      if (yi === entryYear && pop.isNew[p] === 1) agg[kh + M_NEW] += 1;
      if (yi === lastYear) {
        const kind = pop.exitKind[p];
        if (kind === EXIT_DEATH) agg[kh + M_DEATHS] += 1;
        else if (kind === EXIT_LEAVER) agg[kh + M_LEAVERS] += 1;
      }
      if (trace !== undefined) trace({ kind: 'patientYear', patient: p, yearIndex: yi, costFen: pyCost, fundFen: pyFund, patientFen: pyCost - pyFund, opFundFen: pyOpFund, capFen: cap });
      if (gone) break;
    }
  }
}
