/**
 * The utilization parameters fitted to the claims (docs/replay.md, "Calibrate"). Rates and drug
 * costs are fitted at the template's reference age (population.ageFactors = 1) and, for admissions,
 * in the first five years after diagnosis: each patient-year's exposure is scaled by the factors the
 * kernel applies to it (age band that year; expected complicationDurationFactor^step), so that the
 * synthesis, which multiplies them back, reproduces the data.
 */
import { at } from '../../params/param.ts';
import { OFF_SITE, TIERS, type ScenarioFile } from '../../params/schema.ts';
import { additiveRates, type RateRow } from '../additive-rates.ts';
import { LogStats, RatioStats, shareEstimate, type Estimate } from '../estimate.ts';
import type { ParamBook } from './book.ts';
import { sig } from './book.ts';
import type { ClaimStats } from './claims-stats.ts';
import { ageFactorsIn, bandIn, durationFactor, type DataCohort } from './cohort.ts';

const DAYS_PER_MONTH = 365.25 / 12;
type Lognormal = { median: number; sigma: number };

export interface UtilizationInput {
  cohort: DataCohort;
  stats: ClaimStats;
  base: ScenarioFile;
  book: ParamBook;
  notes: string[];
  hasDays: boolean;
  hasResidence: boolean;
}

/** The fragment's utilization section (parameters without data are left to the template). */
export function fitUtilization(o: UtilizationInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (o.hasDays) {
    out.prescriptionDays = fitPrescriptionDays(o);
    out.refillAdherence = fitAdherence(o);
  } else {
    o.notes.push('the claims have no days supplied: every visit counts as a non-refill visit; prescriptionDays, refillAdherence and dailyDrugCost are kept from the template');
    for (const k of ['prescriptionDays', 'refillAdherence', 'dailyDrugCost']) o.book.keptAsIs(`utilization.${k}`, 'the claims have no days supplied');
  }
  Object.assign(out, fitRates(o));
  Object.assign(out, fitTierChoice(o));
  if (o.hasDays) out.dailyDrugCost = fitDrugCost(o);
  out.serviceCostPerVisit = fitServiceCost(o);
  if (o.stats.eligible.n > 0) {
    const el = o.stats.eligible.estimate();
    out.eligibleShare = o.book.fitted('utilization.eligibleShare', 'share', o.stats.outpatient, 'outpatient claims (eligible ÷ the cost it applies to)', sig(Math.min(1, el.value)), { '': el });
  } else o.book.keptAsIs('utilization.eligibleShare', 'the claims have no eligible cost');
  const ip = o.stats.inpatient.fit();
  if (ip) out.hospitalizationCost = o.book.fitted('utilization.hospitalizationCost', 'yuan', o.stats.admissions, `admissions (at ${o.base.utilization.costBaseYear} prices)`, lognormal(ip), { median: ip.median, sigma: ip.sigma });
  else o.book.keptAsIs('utilization.hospitalizationCost', 'no admission in the data', 'yuan');
  const off = fitOffSite(o);
  if (off) out.offSiteShare = off;
  return out;
}

const lognormal = (f: { median: Estimate; sigma: Estimate }): Lognormal => ({ median: sig(f.median.value), sigma: sig(Math.min(3, f.sigma.value), 4) });
const baseAt = <T>(o: UtilizationInput, p: Parameters<typeof at<T>>[0]) => at<T>(p, o.cohort.y0);

function fitPrescriptionDays(o: UtilizationInput): Record<string, unknown> {
  const base = baseAt(o, o.base.utilization.prescriptionDays) as Record<string, number>;
  const value: Record<string, number> = {};
  const est: Record<string, Estimate> = {};
  const kept: Record<string, string> = {};
  TIERS.forEach((t, k) => {
    const m = o.stats.refillDays[k].estimate();
    if (m) {
      value[t] = Math.min(90, Math.max(1, Math.round(m.value)));
      est[t] = m;
    } else {
      value[t] = base[t];
      kept[t] = `no refill at the ${t} tier`;
    }
  });
  const n = o.stats.refillDays.reduce((a, s) => a + s.n, 0);
  return o.book.fitted('utilization.prescriptionDays', 'days', n, 'refill visits (mean days supplied, rounded)', value, est, kept);
}

function fitAdherence(o: UtilizationInput): Record<string, unknown> {
  // Refill days supplied ÷ days in care, patients as the units (cluster standard error).
  const { cohort: c, stats } = o;
  const r = new RatioStats();
  let py = 0;
  for (let p = 0; p < c.pyears.length; p++) {
    if (c.pyears[p] === 0) continue;
    r.add(stats.refillDaysOf[p], c.pyears[p] * 12 * DAYS_PER_MONTH);
    py += c.pyears[p];
  }
  const e = r.estimate();
  return o.book.fitted('utilization.refillAdherence', 'share', py, 'patient-years (refill days supplied ÷ registered months × 30.4375)', sig(Math.min(1, e.value)), { '': e });
}

/** Other visits per month and admissions per year by condition: joint non-negative least squares. */
function fitRates(o: UtilizationInput): Record<string, unknown> {
  const { cohort: c, stats, base } = o;
  const K = c.conds.length;
  const nY = c.years.length;
  const factors = c.years.map((y) => ageFactorsIn(base, y));
  const durF = c.years.map((y) => at(base.population.complicationDurationFactor, y));
  const meanYears = at(base.population.yearsSinceDiagnosis, c.y0).mean;
  const consultRows: RateRow[] = [];
  const admissionRows: RateRow[] = [];
  let py = 0;
  for (let p = 0; p < c.pyears.length; p++) {
    if (c.pyears[p] === 0) continue;
    py += c.pyears[p];
    let ec = 0;
    let ea = 0;
    for (let y = 0; y < nY; y++) {
      const months = c.months[p * nY + y];
      if (months === 0) continue;
      const band = bandIn(c, p, y);
      const known = c.age[p] >= 0;
      ec += months * (known ? factors[y].consult[band] : 1);
      ea += (months / 12) * (known ? factors[y].admissions[band] * durationFactor(c, p, y, durF[y], meanYears) : 1);
    }
    const bits = (e: number) => Array.from({ length: K }, (_, k) => ((c.mask[p] >> k) & 1 ? e : 0));
    consultRows.push({ x: bits(ec), count: stats.otherVisits[p], weight: 1 / ec });
    admissionRows.push({ x: bits(ea), count: stats.admissionsOf[p], weight: 1 / ea });
  }
  const what = 'patient-years (non-negative least squares over patients: a patient’s rate is the sum of their conditions’, at the reference age of population.ageFactors';
  return {
    consultVisitsPerMonth: byCondition(o, 'utilization.consultVisitsPerMonth', 'visits/month', py, `${what}; non-refill outpatient visits)`, additiveRates(consultRows, K), baseAt(o, base.utilization.consultVisitsPerMonth) as Record<string, number>),
    hospitalizationRate: byCondition(o, 'utilization.hospitalizationRate', 'admissions/year', py, `${what}, in the first 5 years after diagnosis: complicationDurationFactor and yearsSinceDiagnosis of the template)`, additiveRates(admissionRows, K), baseAt(o, base.utilization.hospitalizationRate) as Record<string, number>),
  };
}

function byCondition(o: UtilizationInput, path: string, unit: string, n: number, what: string, fit: (Estimate | null)[], base: Record<string, number>): Record<string, unknown> {
  const value: Record<string, number> = {};
  const est: Record<string, Estimate> = {};
  const kept: Record<string, string> = {};
  o.cohort.conds.forEach((cond, k) => {
    const f = fit[k];
    if (f) {
      value[cond] = sig(f.value);
      est[cond] = f;
    } else {
      value[cond] = base[cond];
      kept[cond] = `no registered patient with ${cond}`;
    }
  });
  return o.book.fitted(path, unit, n, what, value, est, kept);
}

/** Daily drug cost by condition: lognormal over single-condition patient-years, at the reference age. */
function fitDrugCost(o: UtilizationInput): Record<string, unknown> {
  const { cohort: c, stats, base } = o;
  const K = c.conds.length;
  const nY = c.years.length;
  const factors = c.years.map((y) => ageFactorsIn(base, y));
  const alone = c.conds.map(() => new LogStats());
  const any = c.conds.map(() => new LogStats());
  let n = 0;
  for (let p = 0; p < c.pyears.length; p++) {
    for (let y = 0; y < nY; y++) {
      const k = p * nY + y;
      if (stats.drugDays[k] === 0) continue;
      n++;
      const ageFactor = c.age[p] >= 0 ? factors[y].drug[bandIn(c, p, y)] : 1;
      const daily = stats.drugFen[k] / 100 / stats.drugDeflator[k] / ageFactor;
      for (let j = 0; j < K; j++) {
        if (!(c.mask[p] & (1 << j))) continue;
        any[j].add(daily);
        if (c.mask[p] === 1 << j) alone[j].add(daily);
      }
    }
  }
  const baseV = baseAt(o, base.utilization.dailyDrugCost) as Record<string, Lognormal>;
  const value: Record<string, Lognormal> = {};
  const est: Record<string, Estimate> = {};
  const kept: Record<string, string> = {};
  c.conds.forEach((cond, j) => {
    let f = alone[j].fit();
    if (!f && any[j].fit()) {
      f = any[j].fit();
      o.notes.push(`dailyDrugCost.${cond}: no patient has ${cond} alone; fitted over all its patients (their daily cost includes other conditions' drugs)`);
    }
    if (f) {
      value[cond] = lognormal(f);
      est[`${cond}.median`] = f.median;
      est[`${cond}.sigma`] = f.sigma;
    } else {
      value[cond] = baseV[cond];
      kept[cond] = `no refill of a patient with ${cond}`;
    }
  });
  return o.book.fitted('utilization.dailyDrugCost', 'yuan/day', n, `patient-years with refills (drug cost ÷ days supplied, at ${base.utilization.costBaseYear} prices and the reference age of population.ageFactors)`, value, est, kept);
}

function fitServiceCost(o: UtilizationInput): Record<string, unknown> {
  const baseV = baseAt(o, o.base.utilization.serviceCostPerVisit) as Record<string, Lognormal>;
  const value: Record<string, Lognormal> = {};
  const est: Record<string, Estimate> = {};
  const kept: Record<string, string> = {};
  TIERS.forEach((t, k) => {
    const f = o.stats.service[k].fit();
    if (f) {
      value[t] = lognormal(f);
      est[`${t}.median`] = f.median;
      est[`${t}.sigma`] = f.sigma;
    } else {
      value[t] = baseV[t];
      kept[t] = `no outpatient visit at the ${t} tier`;
    }
  });
  return o.book.fitted('utilization.serviceCostPerVisit', 'yuan', o.stats.outpatient, `outpatient visits (total − drug cost, at ${o.base.utilization.costBaseYear} prices)`, value, est, kept);
}

/** Where visits go: tier preference by residence (unsigned patients) and the signed patients' shift. */
function fitTierChoice(o: UtilizationInput): Record<string, unknown> {
  const { stats, book } = o;
  const prefBase = baseAt(o, o.base.utilization.tierPreference) as Record<'rural' | 'urban', Record<string, number>>;
  const pref: Record<string, Record<string, number>> = {};
  const est: Record<string, Estimate> = {};
  const kept: Record<string, string> = {};
  let nSignedAll = 0;
  let signedHosp = 0;
  let unsignedWeighted = 0;
  let unsignedVar = 0;
  const shiftParts: { nS: number; u: number; nU: number }[] = [];
  for (const [res, u] of [['rural', 0], ['urban', 1]] as const) {
    const uns = stats.tierVisits[u * 2];
    const sgn = stats.tierVisits[u * 2 + 1];
    const nU = uns[0] + uns[1] + uns[2];
    const nS = sgn[0] + sgn[1] + sgn[2];
    const from = nU > 0 ? uns : nS > 0 ? sgn : null;
    if (!from || (res === 'urban' && !o.hasResidence)) {
      pref[res] = prefBase[res];
      kept[res] = o.hasResidence ? `no ${res} patients' visits in the data` : 'the enrollment has no urban/rural residence';
      continue;
    }
    if (nU === 0) o.notes.push(`tierPreference.${res}: no unsigned ${res} patients, fitted on signed patients' visits`);
    const tot = from[0] + from[1] + from[2];
    const v = shareEstimate(from[0], tot);
    const t = shareEstimate(from[1], tot);
    pref[res] = { village: sig(v.value, 6), township: sig(t.value, 6), hospital: sig(1 - sig(v.value, 6) - sig(t.value, 6), 12) };
    est[`${res}.village`] = v;
    est[`${res}.township`] = t;
    est[`${res}.hospital`] = shareEstimate(from[2], tot);
    if (nU > 0 && nS > 0 && uns[2] > 0) shiftParts.push({ nS, u: uns[2] / nU, nU });
    if (nU > 0 && nS > 0 && uns[2] > 0) {
      nSignedAll += nS;
      signedHosp += sgn[2];
    }
  }
  const unsignedVisits = [0, 2].reduce((a, k) => a + stats.tierVisits[k][0] + stats.tierVisits[k][1] + stats.tierVisits[k][2], 0);
  const out: Record<string, unknown> = {
    tierPreference: book.fitted('utilization.tierPreference', 'share', unsignedVisits, 'outpatient visits of unsigned patients (off-site and pharmacy visits count as hospital tier)', pref, est, kept),
  };
  if (nSignedAll > 0) {
    // 1 − signed patients' hospital share ÷ unsigned patients' (weighted by signed visits per residence).
    for (const s of shiftParts) {
      unsignedWeighted += (s.nS / nSignedAll) * s.u;
      unsignedVar += (s.nS / nSignedAll) ** 2 * ((s.u * (1 - s.u)) / s.nU);
    }
    const sh = signedHosp / nSignedAll;
    const ratio = sh / unsignedWeighted;
    const varRatio = ratio * ratio * ((sh > 0 ? (sh * (1 - sh)) / nSignedAll / (sh * sh) : 0) + unsignedVar / (unsignedWeighted * unsignedWeighted));
    const value = Math.min(1, Math.max(0, 1 - ratio));
    out.signedPrimaryShift = book.fitted('utilization.signedPrimaryShift', 'share', stats.outpatient, "outpatient visits (1 − signed patients' hospital share ÷ unsigned patients')", sig(value), { '': { value, se: Math.sqrt(varRatio), n: nSignedAll } });
  } else book.keptAsIs('utilization.signedPrimaryShift', 'no residence with both signed and unsigned patients visiting hospitals', 'share');
  return out;
}

function fitOffSite(o: UtilizationInput): Record<string, unknown> | undefined {
  const h = o.stats.hospitalTierVisits;
  if (h === 0) {
    o.book.keptAsIs('utilization.offSiteShare', 'no hospital-tier outpatient visit in the data', 'share');
    return undefined;
  }
  const value: Record<string, number> = {};
  const est: Record<string, Estimate> = {};
  OFF_SITE.forEach((cat, k) => {
    const e = shareEstimate(o.stats.offSite[k], h);
    value[cat] = sig(e.value);
    est[cat] = e;
  });
  return o.book.fitted('utilization.offSiteShare', 'share', h, 'hospital-tier outpatient visits', value, est);
}
