/**
 * Re-adjudication of recorded claims under a scenario's benefit rules (F4, engine/benefits) and their
 * accumulation into the engine's facility-year aggregates (utilization/metrics.ts), so the same
 * payment models and ledger run on them.
 *
 * Each patient-year's claims are taken in date order (file order on the same day); the deductible
 * and annual cap run over the calendar year; every claim uses the rules in force on the first day
 * of its month (kernel-params: ratio by tier, city-hospital ratio, individual pre-payment, off-site
 * and undesignated-facility reductions, the signing waiver; inpatient deductible per admission,
 * ratio and cap). The recorded fund paid is kept beside the re-adjudicated fund share, per facility
 * and month, for the reconciliation.
 *
 * Eligible cost: the recorded policy-eligible cost × (1 − individual pre-payment of the tier); when
 * the file has none, it is computed as the kernel does (total, less drug spending above the payment
 * standard, × eligibleShare × (1 − pre-payment)).
 *
 * Per-claim results are kept in typed arrays, so a bootstrap replicate is only a weighted re-sum
 * ({@link accumulate}): a claim's fund share depends on its patient-year alone, never on which other
 * patients were drawn.
 */
import { deductibleApplied, deductibleMet, fundShare } from '../benefits/adjudicate.ts';
import { inpatientEligibleFen, inpatientRatio, offSiteReduction, outpatientEligibleFen, outpatientRatio, recordedOutpatientEligibleFen, undesignatedReduction, waiverApplies } from '../benefits/claim-rules.ts';
import type { KernelParams } from '../utilization/kernel-params.ts';
import { Metric, fundSquareYuan, type AggLayout, type ClaimFigure } from '../utilization/metrics.ts';
import { IP_DEDUCTIBLE } from '../params/month-table.ts';
import type { Claims } from './claims.ts';
import { OPEN_END } from './enrollment.ts';
import { T_CITY } from './values.ts';

/** What adjudication needs of each person (region indices; `mask` over the scenario's conditions). */
export interface PersonView {
  n: number;
  home: Int32Array;
  signedFac: Int32Array;
  designated: Int32Array;
  signed: Uint8Array;
  mask: Uint8Array;
  from: Int32Array;
  to: Int32Array;
}

export interface Adjudicated {
  years: number[];
  nFacilities: number;
  /** Per claim (claim index): region facility, year index, re-adjudicated fund and eligible cost. */
  fac: Int32Array;
  yi: Uint8Array;
  fund: Float64Array;
  eligible: Float64Array;
  /** Per claim figure of the payment models (in slot order): its value per claim (admissions only). */
  figures: Float64Array[];
  /** Patient-years: person, year index, cap reached, outpatient and inpatient fund of the year. */
  py: { n: number; person: Int32Array; yi: Uint8Array; capReached: Uint8Array; opFund: Float64Array; ipFund: Float64Array };
  /** Persons with at least one patient-year in the period (the bootstrap resamples these). */
  active: Int32Array;
  /** Reconciliation per (facility × month): [claims, recorded fund, re-adjudicated fund, cost], fen. */
  rec: Float64Array;
  nMonths: number;
}

const M_VISITS = Metric.visits;
const M_OP_COST = Metric.opCost;
const M_OP_ELIGIBLE = Metric.opEligible;
const M_OP_FUND = Metric.opFund;
const M_DRUG_COST = Metric.drugCost;
const M_REFILL = Metric.refillVisits;
const M_LONG_RX = Metric.longRxDrugCost;
const M_ADM = Metric.admissions;
const M_IP_COST = Metric.ipCost;
const M_IP_FUND = Metric.ipFund;
const M_FUND_SQUARES = Metric.fundSquares;
const M_PATIENTS = Metric.patients;
const M_SIGNED = Metric.signed;
const M_CAP = Metric.capReached;
const M_HOME_OP = Metric.homeOpFund;
const M_HOME_IP = Metric.homeIpFund;

export const REC_FIELDS = 4;

/**
 * Re-adjudicate the claims. `order` is the adjudication order (person, date, row); `facOf[i]` the
 * region facility of claim i (off-site claims: the off-site pseudo-facility).
 */
export function adjudicateClaims(kp: KernelParams, claims: Claims, order: Int32Array, facOf: Int32Array, persons: PersonView, nF: number, claimFigures: readonly ClaimFigure[] = []): Adjudicated {
  const years = kp.years;
  const nY = years.length;
  const y0 = years[0];
  const n = claims.n;
  const fund = new Float64Array(n);
  const eligible = new Float64Array(n);
  const figures = claimFigures.map(() => new Float64Array(n));
  const yiOf = new Uint8Array(n);
  const nMonths = nY * 12;
  const rec = new Float64Array(nF * nMonths * REC_FIELDS);
  const { deductibleFen, capFen, ipCapFen } = kp;
  const R = kp.months.rows; // the month's parameters at row m × S (utilization/month-table.ts)
  const S = kp.months.stride;
  const { person, ymd, tier, inpatient, offSite, cost, drug } = claims;
  const recElig = claims.eligible;
  const recFund = claims.fund;

  let pyCap = Math.max(16, persons.n * nY);
  let pyN = 0;
  let pyPerson = new Int32Array(pyCap);
  let pyYi = new Uint8Array(pyCap);
  let pyCapReached = new Uint8Array(pyCap);
  let pyOp = new Float64Array(pyCap);
  let pyIp = new Float64Array(pyCap);
  const active: number[] = [];

  let k = 0;
  for (let p = 0; p < persons.n; p++) {
    const fromY = persons.from[p] === 0 ? y0 : Math.floor(persons.from[p] / 10000);
    const toY = persons.to[p] >= OPEN_END ? years[nY - 1] : Math.floor(persons.to[p] / 10000);
    const yA = Math.max(0, fromY - y0);
    const yB = Math.min(nY - 1, toY - y0);
    const signed = persons.signed[p] === 1;
    const sFac = persons.signedFac[p];
    const dFac = persons.designated[p];
    const mask = persons.mask[p];
    // Skip claims of this person before the first active year (cannot happen for loaded claims:
    // they are inside the registration dates).
    for (let yi = yA; yi <= yB; yi++) {
      const year = years[yi];
      let dedLeft = deductibleFen[yi];
      let capLeft = capFen[yi];
      const cap = capLeft;
      let ipCapLeft = ipCapFen[yi];
      let opFund = 0;
      let ipFund = 0;
      while (k < n && person[order[k]] === p && Math.floor(ymd[order[k]] / 10000) === year) {
        const i = order[k++];
        const mo = Math.floor(ymd[i] / 100) % 100;
        const m = yi * 12 + mo - 1;
        const row = m * S;
        const f = facOf[i];
        yiOf[i] = yi;
        const off = offSite[i];
        // The benefit rules of the claim (benefits/claim-rules.ts, F4), as the kernel applies them.
        let red = offSiteReduction(R, row, off);
        if (inpatient[i] === 1) {
          const elig = recElig[i] >= 0 ? recElig[i] : inpatientEligibleFen(R, row, cost[i]);
          const ded = deductibleApplied(elig, R[row + IP_DEDUCTIBLE], false);
          const fu = fundShare(elig, ded, ipCapLeft, inpatientRatio(R, row, red));
          ipCapLeft -= fu;
          ipFund += fu;
          fund[i] = fu;
          eligible[i] = elig;
          // The payment models' claim figures of the admission, as the kernel accumulates them.
          for (let j = 0; j < figures.length; j++) figures[j][i] = claimFigures[j].admission(cost[i], yi);
        } else {
          const t = tier[i] > 2 ? 2 : tier[i]; // city hospitals and pharmacies are at the hospital tier
          const elig = recElig[i] >= 0 ? recordedOutpatientEligibleFen(R, row, t, recElig[i]) : outpatientEligibleFen(R, row, t, cost[i], drug[i]);
          const undes = undesignatedReduction(R, row, mask);
          if (undes > 0 && f !== dFac) red += undes;
          const waived = waiverApplies(R, row, signed, t, f === sFac, off < 0);
          const met = deductibleMet(elig, dedLeft);
          const ded = waived ? 0 : met;
          const rate = outpatientRatio(R, row, t, tier[i] === T_CITY, red);
          const fu = fundShare(elig, ded, capLeft, rate);
          dedLeft -= met;
          capLeft -= fu;
          opFund += fu;
          fund[i] = fu;
          eligible[i] = elig;
        }
        const r = ((f * nMonths) + m) * REC_FIELDS;
        rec[r] += 1;
        rec[r + 1] += recFund[i];
        rec[r + 2] += fund[i];
        rec[r + 3] += cost[i];
      }
      if (pyN === pyCap) {
        pyCap *= 2;
        const g = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => {
          const b = new (a.constructor as new (n: number) => T)(pyCap);
          b.set(a as never);
          return b;
        };
        pyPerson = g(pyPerson);
        pyYi = g(pyYi);
        pyCapReached = g(pyCapReached);
        pyOp = g(pyOp);
        pyIp = g(pyIp);
      }
      pyPerson[pyN] = p;
      pyYi[pyN] = yi;
      pyCapReached[pyN] = capLeft === 0 && cap > 0 ? 1 : 0;
      pyOp[pyN] = opFund;
      pyIp[pyN] = ipFund;
      pyN++;
    }
    if (yA <= yB) active.push(p);
    // Any claims of this person outside the active years (none for validated input) are skipped.
    while (k < n && person[order[k]] === p) {
      const i = order[k++];
      throw new Error(`claim on row ${claims.row[i]} lies outside its person's registration years (a bug: validation should have rejected it)`);
    }
  }
  return {
    years,
    nFacilities: nF,
    fac: facOf,
    yi: yiOf,
    fund,
    eligible,
    figures,
    py: { n: pyN, person: pyPerson.subarray(0, pyN), yi: pyYi.subarray(0, pyN), capReached: pyCapReached.subarray(0, pyN), opFund: pyOp.subarray(0, pyN), ipFund: pyIp.subarray(0, pyN) },
    active: Int32Array.from(active),
    rec,
    nMonths,
  };
}

/**
 * Facility-year aggregates of the re-adjudicated claims, each person counted `weights[p]` times
 * (default once): the data as recorded, or a bootstrap replicate. Sums of integers: exact.
 */
export function accumulate(a: Adjudicated, claims: Claims, persons: PersonView, longRxDays: number, layout: AggLayout, weights?: Int32Array): Float64Array {
  const nF = a.nFacilities;
  const nm = layout.nm;
  const agg = new Float64Array(a.years.length * nF * nm);
  const { person, inpatient, cost, drug, days } = claims;
  const { fac, yi, fund, eligible, figures } = a;
  const fig0 = nm - figures.length; // slot of the first claim figure
  for (let i = 0; i < claims.n; i++) {
    const w = weights ? weights[person[i]] : 1;
    if (w === 0) continue;
    const k = (yi[i] * nF + fac[i]) * nm;
    if (inpatient[i] === 1) {
      agg[k + M_ADM] += w;
      agg[k + M_IP_COST] += w * cost[i];
      agg[k + M_IP_FUND] += w * fund[i];
      agg[k + M_FUND_SQUARES] += w * fundSquareYuan(fund[i]);
      for (let j = 0; j < figures.length; j++) agg[k + fig0 + j] += w * figures[j][i];
    } else {
      agg[k + M_VISITS] += w;
      agg[k + M_OP_COST] += w * cost[i];
      agg[k + M_OP_ELIGIBLE] += w * eligible[i];
      agg[k + M_OP_FUND] += w * fund[i];
      agg[k + M_FUND_SQUARES] += w * fundSquareYuan(fund[i]);
      agg[k + M_DRUG_COST] += w * drug[i];
      if (days[i] > 0) {
        agg[k + M_REFILL] += w;
        if (days[i] > longRxDays) agg[k + M_LONG_RX] += w * drug[i];
      }
    }
  }
  const py = a.py;
  for (let j = 0; j < py.n; j++) {
    const p = py.person[j];
    const w = weights ? weights[p] : 1;
    if (w === 0) continue;
    const kh = (py.yi[j] * nF + persons.home[p]) * nm;
    agg[kh + M_PATIENTS] += w;
    agg[kh + M_SIGNED] += w * persons.signed[p];
    agg[kh + M_CAP] += w * py.capReached[j];
    agg[kh + M_HOME_OP] += w * py.opFund[j];
    agg[kh + M_HOME_IP] += w * py.ipFund[j];
  }
  return agg;
}
