/**
 * Calibration: the synthesis parameters of a scenario fitted to recorded enrollment and claims,
 * written as a scenario fragment that extends a base scenario (default: wuhu-default). Every
 * fitted parameter is a dated parameter in the schema's unit, with
 * `source: "calibrated from <files>, <period>, n = …"`. What is fitted, and how (docs/replay.md):
 *
 * - region: the data's counties (residents as in replay), medical communities per county, township
 *   centres and village clinics (residentsPerTownship, villagesPerTownship), city hospitals.
 * - population.prevalence: the *registered* share — registered patients in an age band ÷ insured
 *   adults in the band (residents × insuredShare × ageStructure of the base) — written as the
 *   prevalence, with treatedShare 1 (so prevalence × treatedShare is the registered share the
 *   synthesis draws). By sex: in a comment (the synthesis has no sex-specific prevalence).
 * - population.signedShare: signed persons ÷ persons.
 * - region.cityHospitalShare: share of persons whose hospital (designated, else most used) is a
 *   city hospital.
 * - utilization.prescriptionDays: mean days supplied of a refill, by tier; refillAdherence: refill
 *   days supplied ÷ (patient-months × 30.4375); consultVisitsPerMonth and hospitalizationRate per
 *   condition: weighted least squares over condition combinations (a patient's rate is the sum of
 *   their conditions' rates, as in the synthesis), non-refill outpatient visits per patient-month
 *   and admissions per patient-year.
 * - utilization.tierPreference by residence: where unsigned patients' outpatient visits go (off-site
 *   and pharmacy visits count as hospital tier); signedPrimaryShift: 1 − signed patients' hospital
 *   share ÷ unsigned patients'; offSiteShare: off-site visits by category ÷ hospital-tier visits.
 * - utilization.serviceCostPerVisit by tier (lognormal: median = exp(mean log), sigma = sd log of
 *   total − drug cost), dailyDrugCost per condition (lognormal over single-condition patient-years
 *   of drug cost ÷ days supplied), hospitalizationCost (lognormal), all deflated to the base's
 *   costBaseYear by its costTrend (and VBP factor for drugs); eligibleShare: eligible ÷ the cost it
 *   applies to.
 * - horizon: the data's years.
 * Kept from the base: benefit rules, financing, cost trend, age structure, insured share, exits
 * and entries (one year of data cannot show them), payment models.
 */
import { existsSync } from 'node:fs';
import { dirname, relative, resolve, basename } from 'node:path';
import { Document } from 'yaml';
import { FundcastError } from '../errors.ts';
import { loadScenario, packageRoot, type LoadedScenario } from '../params/load.ts';
import { at } from '../params/param.ts';
import { ADULT_AGE_BANDS, OFF_SITE, TIERS, type ScenarioFile } from '../params/schema.ts';
import { costIndex } from '../utilization/kernel-params.ts';
import { OPEN_END } from './enrollment.ts';
import { claimOrder } from './order.ts';
import { writeFileAtomic } from '../report/atomic.ts';
import { requireClaims, type ReplayData } from './replay.ts';
import { buildDataRegion } from './region.ts';
import { T_CITY, T_PHARMACY, T_TOWNSHIP, T_VILLAGE } from './values.ts';

export interface CalibrateOptions {
  /** Base scenario the fragment extends. */
  base: LoadedScenario;
  /** How the base was named (an embedded name is written as such in `extends`). */
  baseRef: string;
  /** Residents of the region the data covers (default: as replay decides). */
  residents?: number;
  /** Name of the fragment's scenario. */
  name?: string;
}

export interface Fit {
  /** The fragment (a scenario file's content). */
  fragment: Record<string, unknown>;
  /** Facts about the data the fit used (for reports and tests). */
  facts: {
    persons: number;
    children: number;
    unknownAge: number;
    patientYears: number;
    claims: number;
    admissions: number;
    conditions: string[];
    byBand: Record<string, Record<string, number>>;
    prevalenceBySex: Record<string, Record<string, { male: number; female: number }>>;
  };
  notes: string[];
}

const DAYS_PER_MONTH = 365.25 / 12;
const sig = (x: number, d = 6) => (x === 0 || !Number.isFinite(x) ? 0 : Number(x.toPrecision(d)));

/** Lognormal fit: median = exp(mean log x), sigma = sd(log x). */
class LogStats {
  n = 0;
  s = 0;
  ss = 0;
  add(x: number): void {
    if (!(x > 0)) return;
    const l = Math.log(x);
    this.n++;
    this.s += l;
    this.ss += l * l;
  }
  fit(): { median: number; sigma: number } | null {
    if (this.n === 0) return null;
    const m = this.s / this.n;
    const v = this.n > 1 ? Math.max(0, (this.ss - this.n * m * m) / (this.n - 1)) : 0;
    return { median: sig(Math.exp(m)), sigma: sig(Math.min(3, Math.sqrt(v)), 4) };
  }
}

/**
 * Rates per condition from counts by condition combination: weighted least squares of
 * count/exposure on the combination's conditions (a patient's rate is the sum of their conditions'),
 * weights = exposure, rates ≥ 0 (a negative one is fixed at 0 and the rest refitted).
 */
export function ratesByCondition(groups: { mask: number; exposure: number; count: number }[], K: number): number[] {
  const free = new Array<boolean>(K).fill(true);
  for (let iter = 0; iter <= K; iter++) {
    const idx = [...Array(K).keys()].filter((k) => free[k]);
    const m = idx.length;
    const A = Array.from({ length: m }, () => new Array<number>(m + 1).fill(0));
    for (const g of groups) {
      if (g.exposure <= 0) continue;
      const x = idx.map((k) => ((g.mask >> k) & 1 ? 1 : 0));
      for (let a = 0; a < m; a++) {
        if (!x[a]) continue;
        for (let b = 0; b < m; b++) A[a][b] += x[b] * g.exposure;
        A[a][m] += g.count;
      }
    }
    for (let a = 0; a < m; a++) A[a][a] += 1e-9; // conditions without patients: rate 0
    const sol = gauss(A);
    const out = new Array<number>(K).fill(0);
    idx.forEach((k, a) => (out[k] = sol[a]));
    const neg = idx.filter((k) => out[k] < 0);
    if (neg.length === 0) return out;
    for (const k of neg) free[k] = false;
  }
  return new Array<number>(K).fill(0);
}

function gauss(A: number[][]): number[] {
  const m = A.length;
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    const d = A[c][c];
    if (Math.abs(d) < 1e-300) continue;
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = A[r][c] / d;
      if (f !== 0) for (let k = c; k <= m; k++) A[r][k] -= f * A[c][k];
    }
  }
  return A.map((row, i) => (Math.abs(row[i]) < 1e-300 ? 0 : row[m] / row[i]));
}

/** Fit the synthesis parameters to the data. */
export function calibrate(data: ReplayData, o: CalibrateOptions): Fit {
  requireClaims(data);
  const base = o.base.scenario;
  const notes: string[] = [];
  const { enrollment: e, claims } = data;
  const years = data.years;
  const y0 = years[0];
  const nY = years.length;
  const period = nY === 1 ? String(y0) : `${y0}–${years[nY - 1]}`;
  const files = [data.sources.enrollment.file, data.sources.claims.file].map((f) => basename(f)).join(', ');
  const src = (n: number, what: string) => `calibrated from ${files}, ${period}, n = ${n.toLocaleString('en-US')} ${what}`;
  const dated = (unit: string, n: number, what: string, value: unknown, note?: string) => ({ unit, source: src(n, what), value, ...(note ? { note } : {}) });

  // Conditions: those of the data (universe bits present), then the base's others.
  const present = e.universe.filter((_, b) => {
    for (let p = 0; p < e.n; p++) if (e.conditions[p] & (1 << b)) return true;
    return false;
  });
  const baseConds = Object.keys(base.population.prevalence);
  const conds = [...present, ...baseConds.filter((c) => !present.includes(c))];
  if (conds.length > 8) throw new FundcastError('ERR_DATA_CONDITIONS', `the data has ${present.length} conditions and the base scenario ${baseConds.length} others: a scenario declares at most 8 (${conds.join(', ')})`);
  const bitOf = e.universe.map((id) => conds.indexOf(id));
  const K = conds.length;
  const maskOf = new Uint8Array(e.n);
  for (let p = 0; p < e.n; p++) {
    let m = 0;
    for (let b = 0; b < e.universe.length; b++) if (e.conditions[p] & (1 << b)) m |= 1 << bitOf[b];
    maskOf[p] = m;
  }

  // Region (as replay builds it), for facility roles and each person's hospital.
  const order = claimOrder(claims.person, claims.ymd, e.n, y0, years[nY - 1]);
  const dr = buildDataRegion(base, e, claims, order, data.facilities, { residents: o.residents });
  notes.push(...dr.notes);
  const region = dr.region;
  const facs = region.facilities;

  // Active patient-years per person.
  const pyears = new Int32Array(e.n);
  let patientYears = 0;
  for (let p = 0; p < e.n; p++) {
    const fy = e.from[p] === 0 ? y0 : Math.floor(e.from[p] / 10000);
    const ty = e.to[p] >= OPEN_END ? years[nY - 1] : Math.floor(e.to[p] / 10000);
    pyears[p] = Math.max(0, Math.min(years[nY - 1], ty) - Math.max(y0, fy) + 1);
    patientYears += pyears[p];
  }

  // --- Prevalence (registered share) by age band ------------------------------------------------
  const residents = region.residents;
  const insured = at(base.region.insuredShare, y0);
  const ageShares = at(base.population.ageStructure, y0);
  const maleShare = at(base.population.maleShare, y0);
  const count = Object.fromEntries(conds.map((c) => [c, Object.fromEntries(ADULT_AGE_BANDS.map((b) => [b, 0]))])) as Record<string, Record<string, number>>;
  const bySex = Object.fromEntries(conds.map((c) => [c, Object.fromEntries(ADULT_AGE_BANDS.map((b) => [b, { male: 0, female: 0 }]))])) as Record<string, Record<string, { male: number; female: number }>>;
  let children = 0;
  let unknownAge = 0;
  let counted = 0;
  for (let p = 0; p < e.n; p++) {
    if (pyears[p] === 0) continue;
    const age = e.birthYear[p] >= 0 ? y0 - e.birthYear[p] : e.age[p];
    if (age < 0) {
      unknownAge++;
      continue;
    }
    if (age < 18) {
      children++;
      continue;
    }
    const band = age < 45 ? '18-44' : age < 65 ? '45-64' : '65+';
    counted++;
    for (let k = 0; k < K; k++) {
      if (!(maskOf[p] & (1 << k))) continue;
      count[conds[k]][band]++;
      if (e.male[p] === 1) bySex[conds[k]][band].male++;
      else if (e.male[p] === 0) bySex[conds[k]][band].female++;
    }
  }
  if (children) notes.push(`${children} registered children (< 18) are left out of the prevalence: the synthesis has no chronic patients under 18`);
  if (unknownAge) notes.push(`${unknownAge} persons without a birth year or age are left out of the prevalence`);
  // Insured adults in a prevalence band: ages are uniform within ageStructure's bands, so 60–69 is half 60–64, half 65–69.
  const bandShare: Record<string, number> = { '18-44': ageShares['18-44'], '45-64': ageShares['45-59'] + ageShares['60-69'] / 2, '65+': ageShares['60-69'] / 2 + ageShares['70-79'] + ageShares['80+'] };
  const adults = (band: string) => residents * insured * bandShare[band];
  const prevalence: Record<string, unknown> = {};
  const prevalenceBySex: Record<string, Record<string, { male: number; female: number }>> = {};
  for (const c of conds) {
    const v = Object.fromEntries(ADULT_AGE_BANDS.map((b) => [b, sig(Math.min(1, count[c][b] / adults(b)))]));
    prevalence[c] = present.includes(c)
      ? dated('share', counted, 'registered adult patients (registered share: prevalence × treatment; treatedShare is 1)', v)
      : { unit: 'share', source: `calibrated: no registered patient with ${c} in ${files}, ${period} (declared by the base scenario)`, value: v };
    prevalenceBySex[c] = Object.fromEntries(ADULT_AGE_BANDS.map((b) => [b, { male: sig(bySex[c][b].male / (adults(b) * maleShare), 4), female: sig(bySex[c][b].female / (adults(b) * (1 - maleShare)), 4) }]));
  }
  const treatedShare = Object.fromEntries(conds.map((c) => [c, { unit: 'share', source: 'calibrated: the registered share is written as the prevalence, so the treated share is 1', value: 1 }]));

  // --- Signing, city hospitals -----------------------------------------------------------------
  let persons = 0;
  let signed = 0;
  let withHosp = 0;
  let cityHosp = 0;
  const urbanCount = [0, 0];
  for (let p = 0; p < e.n; p++) {
    if (pyears[p] === 0) continue;
    persons++;
    signed += e.signed[p];
    urbanCount[dr.urban[p]]++;
    const h = dr.designated[p];
    if (h >= 0 && facs[h].tier === 'hospital' && !facs[h].offSite && !facs[h].pharmacy) {
      withHosp++;
      if (facs[h].city) cityHosp++;
    }
  }

  // --- Claims: visits, tiers, costs --------------------------------------------------------------
  const ci = (ymd: number) => costIndex(base, Math.floor(ymd / 10000), 'service');
  const cip = (ymd: number) => costIndex(base, Math.floor(ymd / 10000), 'inpatient');
  const cd = (ymd: number) => costIndex(base, Math.floor(ymd / 10000), 'drug');
  const vbp = (ymd: number) => {
    const v = base.utilization.vbp ? at(base.utilization.vbp, Math.floor(ymd / 10000), Math.floor(ymd / 100) % 100) : undefined;
    return v ? 1 - v.share * v.priceCut : 1;
  };
  const svc = TIERS.map(() => new LogStats());
  const ipCost = new LogStats();
  const daysSum = [0, 0, 0];
  const refillsAt = [0, 0, 0];
  let refillDays = 0;
  // visits by (residence, signed) × tier
  const tierVisits = [0, 1, 2, 3].map(() => [0, 0, 0]);
  const offSite = [0, 0, 0, 0];
  let hospitalTierVisits = 0;
  let eligNum = 0;
  let eligDen = 0;
  let opClaims = 0;
  let admissions = 0;
  const nonRefill = new Float64Array(e.n);
  const adm = new Float64Array(e.n);
  const drugFen = new Float64Array(e.n * nY);
  const drugDays = new Float64Array(e.n * nY);
  const drugDefl = new Float64Array(e.n * nY);
  for (let i = 0; i < claims.n; i++) {
    const p = claims.person[i];
    if (claims.inpatient[i] === 1) {
      admissions++;
      adm[p]++;
      ipCost.add(claims.cost[i] / 100 / cip(claims.ymd[i]));
      continue;
    }
    opClaims++;
    const dt = claims.tier[i];
    const t = dt === T_VILLAGE ? 0 : dt === T_TOWNSHIP ? 1 : 2;
    tierVisits[dr.urban[p] * 2 + e.signed[p]][t]++;
    if (t === 2) {
      hospitalTierVisits++;
      if (claims.offSite[i] >= 0) offSite[claims.offSite[i]]++;
    }
    svc[t].add((claims.cost[i] - claims.drug[i]) / 100 / ci(claims.ymd[i]));
    if (claims.days[i] > 0) {
      refillsAt[t]++;
      daysSum[t] += claims.days[i];
      refillDays += claims.days[i];
      const k = p * nY + (Math.floor(claims.ymd[i] / 10000) - y0);
      drugFen[k] += claims.drug[i];
      drugDays[k] += claims.days[i];
      drugDefl[k] += claims.days[i] * cd(claims.ymd[i]) * vbp(claims.ymd[i]);
    } else nonRefill[p]++;
    if (claims.eligible[i] >= 0) {
      const y = Math.floor(claims.ymd[i] / 10000);
      const mo = Math.floor(claims.ymd[i] / 100) % 100;
      const pre = at(base.benefits.individualPrepayment, y, mo)[TIERS[t]];
      const above = base.benefits.drugAboveStandardShare ? at(base.benefits.drugAboveStandardShare, y, mo) : 0;
      const drugsOnly = base.benefits.eligibleDrugsOnly ? at(base.benefits.eligibleDrugsOnly, y, mo) : false;
      eligNum += claims.eligible[i];
      eligDen += (drugsOnly ? claims.drug[i] * (1 - above) : claims.cost[i] - claims.drug[i] * above) * (1 - pre);
    }
  }
  if (!claims.has.days) notes.push('the claims have no days supplied: every visit counts as a non-refill visit, and the refill parameters keep the base values');

  // Rates per condition.
  const byMask = new Map<number, { mask: number; exposure: number; count: number; adm: number; py: number }>();
  for (let p = 0; p < e.n; p++) {
    if (pyears[p] === 0) continue;
    let g = byMask.get(maskOf[p]);
    if (!g) byMask.set(maskOf[p], (g = { mask: maskOf[p], exposure: 0, count: 0, adm: 0, py: 0 }));
    g.exposure += 12 * pyears[p];
    g.count += nonRefill[p];
    g.adm += adm[p];
    g.py += pyears[p];
  }
  const groups = [...byMask.values()];
  const consult = ratesByCondition(groups, K);
  const hosp = ratesByCondition(groups.map((g) => ({ mask: g.mask, exposure: g.py, count: g.adm })), K);
  // Daily drug cost per condition: single-condition patient-years.
  const drug = conds.map(() => new LogStats());
  const drugAny = conds.map(() => new LogStats());
  for (let p = 0; p < e.n; p++) {
    for (let y = 0; y < nY; y++) {
      const k = p * nY + y;
      if (drugDays[k] === 0) continue;
      const daily = drugFen[k] / 100 / drugDefl[k];
      for (let c = 0; c < K; c++) {
        if (!(maskOf[p] & (1 << c))) continue;
        drugAny[c].add(daily);
        if (maskOf[p] === 1 << c) drug[c].add(daily);
      }
    }
  }

  // --- Assemble the fragment ----------------------------------------------------------------------
  const baseAt = <T>(p: Parameters<typeof at<T>>[0]) => at<T>(p, y0);
  const consultBase = baseAt(base.utilization.consultVisitsPerMonth) as Record<string, number>;
  const hospBase = baseAt(base.utilization.hospitalizationRate) as Record<string, number>;
  const drugBase = baseAt(base.utilization.dailyDrugCost) as Record<string, { median: number; sigma: number }>;
  const hasPatients = (k: number) => groups.some((g) => g.mask & (1 << k));
  const consultV: Record<string, number> = {};
  const hospV: Record<string, number> = {};
  const drugV: Record<string, { median: number; sigma: number }> = {};
  conds.forEach((c, k) => {
    consultV[c] = hasPatients(k) ? sig(consult[k]) : consultBase[c] ?? 0;
    hospV[c] = hasPatients(k) ? sig(hosp[k]) : hospBase[c] ?? 0;
    const f = drug[k].fit() ?? drugAny[k].fit();
    if (!drug[k].fit() && drugAny[k].fit()) notes.push(`dailyDrugCost.${c}: no patient has ${c} alone; fitted over all its patients (their daily cost includes other conditions' drugs)`);
    drugV[c] = f ?? drugBase[c] ?? { median: 1, sigma: 0.5 };
  });

  const prefBase = baseAt(base.utilization.tierPreference) as Record<'rural' | 'urban', Record<string, number>>;
  const pref: Record<string, Record<string, number>> = {};
  const unsignedVisits = [0, 2].reduce((a, k) => a + tierVisits[k][0] + tierVisits[k][1] + tierVisits[k][2], 0);
  let shiftNum = 0;
  let shiftDen = 0;
  for (const [res, u] of [['rural', 0], ['urban', 1]] as const) {
    const uns = tierVisits[u * 2];
    const sgn = tierVisits[u * 2 + 1];
    const nU = uns[0] + uns[1] + uns[2];
    const nS = sgn[0] + sgn[1] + sgn[2];
    const src2 = nU > 0 ? uns : nS > 0 ? sgn : null;
    if (!src2) {
      pref[res] = prefBase[res];
      notes.push(`tierPreference.${res}: no ${res} patients' visits in the data, the base's shares are kept`);
      continue;
    }
    if (nU === 0) notes.push(`tierPreference.${res}: no unsigned ${res} patients, fitted on signed patients' visits`);
    const tot = src2[0] + src2[1] + src2[2];
    const v = sig(src2[0] / tot, 6);
    const t = sig(src2[1] / tot, 6);
    pref[res] = { village: v, township: t, hospital: sig(1 - v - t, 12) };
    if (nU > 0 && nS > 0 && uns[2] > 0) {
      shiftNum += nS * (sgn[2] / nS);
      shiftDen += nS * (uns[2] / nU);
    }
  }
  const shift = shiftDen > 0 ? Math.min(1, Math.max(0, 1 - shiftNum / shiftDen)) : baseAt<number>(base.utilization.signedPrimaryShift);
  const days = Object.fromEntries(TIERS.map((t, k) => [t, refillsAt[k] > 0 ? Math.min(90, Math.max(1, Math.round(daysSum[k] / refillsAt[k]))) : (baseAt(base.utilization.prescriptionDays) as Record<string, number>)[t]]));
  const adherence = Math.min(1, refillDays / (patientYears * 12 * DAYS_PER_MONTH));
  const offShare = Object.fromEntries(OFF_SITE.map((c, k) => [c, hospitalTierVisits > 0 ? sig(offSite[k] / hospitalTierVisits) : 0]));
  const svcV = Object.fromEntries(TIERS.map((t, k) => [t, svc[k].fit() ?? (baseAt(base.utilization.serviceCostPerVisit) as Record<string, { median: number; sigma: number }>)[t]]));

  // Region: the data's structure.
  const countyUrban = region.counties.map(() => [0, 0]);
  for (let p = 0; p < e.n; p++) {
    const h = dr.home[p];
    const cty = facs[h].county;
    if (cty >= 0 && e.urban[p] >= 0) countyUrban[cty][e.urban[p]]++;
  }
  const communitiesPer = region.counties.map((_, k) => region.communities.filter((c) => c.county === k).length);
  const nTown = facs.filter((f) => f.tier === 'township').length;
  const nVill = facs.filter((f) => f.tier === 'village').length;
  const nCity = region.cityHospitals.length;
  const regionFrag = {
    name: `${base.region.name} — calibrated region`,
    counties: region.counties.map((c, k) => {
      const [r, u] = countyUrban[k];
      const sc = base.region.counties.find((x) => x.id === c.id);
      return { id: c.id, name: c.name, residents: Math.max(1, c.residents), urbanShare: r + u > 0 ? sig(u / (r + u), 4) : sc?.urbanShare ?? 0.5, communities: Math.max(1, communitiesPer[k]) };
    }),
    residentsPerTownship: Math.max(1000, Math.round(residents / Math.max(1, nTown))),
    villagesPerTownship: Math.min(100, Math.max(1, Math.round(nVill / Math.max(1, nTown)))),
    cityHospitals: nCity,
    dualChannelPharmacies: facs.some((f) => f.pharmacy) || base.region.dualChannelPharmacies,
    cityHospitalShare: dated('share', withHosp, 'patients with a hospital', withHosp > 0 ? sig(cityHosp / withHosp) : baseAt<number>(base.region.cityHospitalShare)),
  };

  const horizon = { startYear: y0, years: nY };
  const fragment: Record<string, unknown> = {
    fundcast: 1,
    name: o.name ?? 'calibrated',
    title: `Calibrated to ${files} (${period})`,
    description: `Synthesis parameters fitted by \`fundcast calibrate\` to ${files} (${period}): ${persons.toLocaleString('en-US')} registered patients, ${claims.n.toLocaleString('en-US')} claims. Rules, financing and payment models are the base scenario's.`,
    extends: '',
    horizon,
    region: regionFrag,
    population: {
      prevalence,
      treatedShare,
      signedShare: dated('share', persons, 'registered patients', sig(signed / Math.max(1, persons))),
    },
    utilization: {
      prescriptionDays: dated('days', refillsAt[0] + refillsAt[1] + refillsAt[2], 'refill visits (mean days supplied, rounded)', days),
      refillAdherence: dated('share', patientYears, 'patient-years (refill days supplied ÷ patient-months × 30.4375)', sig(adherence)),
      consultVisitsPerMonth: dated('visits/month', patientYears, 'patient-years (non-refill outpatient visits; least squares over condition combinations)', consultV),
      tierPreference: dated('share', unsignedVisits, "outpatient visits of unsigned patients (off-site and pharmacy visits count as hospital tier)", pref),
      signedPrimaryShift: dated('share', opClaims, "outpatient visits (1 − signed patients' hospital share ÷ unsigned patients')", sig(shift)),
      dailyDrugCost: dated('yuan/day', patientYears, `patient-years with refills (drug cost ÷ days supplied, at ${base.utilization.costBaseYear} prices)`, drugV),
      serviceCostPerVisit: dated('yuan', opClaims, `outpatient visits (total − drug cost, at ${base.utilization.costBaseYear} prices)`, svcV),
      eligibleShare: eligDen > 0 ? dated('share', opClaims, 'outpatient claims (eligible ÷ the cost it applies to)', sig(Math.min(1, eligNum / eligDen))) : undefined,
      hospitalizationRate: dated('admissions/year', patientYears, 'patient-years (least squares over condition combinations)', hospV),
      hospitalizationCost: ipCost.fit() ? dated('yuan', admissions, `admissions (at ${base.utilization.costBaseYear} prices)`, ipCost.fit()) : undefined,
      offSiteShare: dated('share', hospitalTierVisits, 'hospital-tier outpatient visits', offShare),
    },
  };
  const util = fragment.utilization as Record<string, unknown>;
  for (const k of Object.keys(util)) if (util[k] === undefined) delete util[k];
  if (!claims.has.days) {
    delete util.prescriptionDays;
    delete util.refillAdherence;
    delete util.dailyDrugCost;
  }
  if (!e.has.residence) notes.push('the enrollment has no urban/rural residence: every patient counts as rural (tierPreference.urban keeps the base values)');
  return {
    fragment,
    facts: { persons, children, unknownAge, patientYears, claims: claims.n, admissions, conditions: conds, byBand: count, prevalenceBySex },
    notes,
  };
}

/** The fragment as YAML, with a header and the notes as comments. */
export function fragmentYaml(fit: Fit, extendsRef: string): string {
  const frag = { ...fit.fragment, extends: extendsRef };
  const doc = new Document(frag);
  doc.commentBefore = [
    ' fundcast scenario fragment written by `fundcast calibrate`.',
    ` ${String(fit.fragment.description)}`,
    '',
    ' Prevalence is the *registered* share (patients registered for the benefit ÷ insured adults of',
    ' the age band), written as population.prevalence with treatedShare 1: the synthesis draws a',
    ' patient with probability prevalence × treatedShare.',
    ' Run it: fundcast run THIS-FILE   (replications, seed and everything not fitted: the base scenario)',
    ...(fit.notes.length ? ['', ' Notes:', ...fit.notes.map((n) => `  - ${n}`)] : []),
    '',
    ' Registered share by sex (not a parameter: the synthesis has no sex-specific prevalence):',
    ...Object.entries(fit.facts.prevalenceBySex).map(([c, b]) => `   ${c}: ${Object.entries(b).map(([band, v]) => `${band} male ${v.male} female ${v.female}`).join('; ')}`),
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Write the fragment to `out` (validated by loading it back; extends relative to its directory). */
/** The fragment's YAML as it will be written to `out` (its `extends` relative to `out`'s folder). */
export function fragmentText(fit: Fit, out: string, baseRef: string, base: LoadedScenario): string {
  const embedded = !existsSync(resolve(baseRef)) && base.files[0].startsWith(resolve(packageRoot(), 'scenarios'));
  let ext = embedded ? baseRef : relative(dirname(resolve(out)), base.files[0]);
  if (!embedded && !ext.startsWith('.')) ext = `./${ext}`;
  return fragmentYaml(fit, ext);
}

export function writeFragment(fit: Fit, out: string, baseRef: string, base: LoadedScenario): string {
  const text = fragmentText(fit, out, baseRef, base);
  writeFileAtomic(out, text);
  checkFragment(out);
  return text;
}

/** The written fragment must load (else a bug in calibrate). */
export function checkFragment(out: string): void {
  try {
    loadScenario(out);
  } catch (e) {
    throw new FundcastError('ERR_CALIBRATE', `the calibrated fragment ${out} does not validate (a bug in fundcast calibrate, please report it): ${(e as Error).message}`, 1);
  }
}

export type { ScenarioFile };
