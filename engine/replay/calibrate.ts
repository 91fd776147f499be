/**
 * Calibration: the synthesis parameters of a scenario fitted to recorded enrollment and claims,
 * written as a scenario fragment that extends a base scenario (the template; default wuhu-default).
 * Every parameter of the fragment is fitted — an estimate with its standard error, in the schema's
 * unit, `source: "calibrated from <files>, <period>, n = …"` — or kept from the template (`source:
 * "kept from the template: <why>"`, or a key listed in the parameter's note), or set by construction
 * (a removed key); `Fit.params` lists them all, with the template's other parameters as kept.
 * What is fitted, and how (docs/replay.md, "Calibrate"):
 *
 * - region (calibrate/region-fit.ts): the data's counties, communities, township centres, village
 *   clinics and city hospitals, as replay builds them; each county's urban share of patients;
 *   cityHospitalShare; population.signedShare.
 * - population.prevalence and comorbidity, jointly (calibrate/prevalence.ts): the registered share
 *   by age band of patients registered on the period's first day ÷ the template's treatedShare, and
 *   the odds ratio of each related pair that reproduces the patients registered with both.
 * - utilization (calibrate/utilization.ts): prescription days, refill adherence (days supplied ÷
 *   registered days), other visits and admissions per condition (joint non-negative least squares at
 *   the template's reference age and duration), tier preference and the signed patients' shift,
 *   daily drug cost, cost per visit and per admission (lognormal, at base-year prices), eligible
 *   share, off-site shares.
 * - population.incidence (calibrate/incidence.ts): the template's age profile, its level per
 *   condition fitted to the patients registered during the period.
 * - horizon: the data's years.
 * Kept from the template: benefit rules, financing, cost trends, age structure, insured share, the
 * cohort's other flows (mortality, leavers, persistence, age and duration factors) and payment models.
 */
import { existsSync } from 'node:fs';
import { dirname, relative, resolve, basename } from 'node:path';
import { Document } from 'yaml';
import { FundcastError } from '../errors.ts';
import { loadScenario, packageRoot, type LoadedScenario } from '../params/load.ts';
import { at, listDated } from '../params/param.ts';
import { ADULT_AGE_BANDS, type ScenarioFile } from '../params/schema.ts';
import { claimOrder } from './order.ts';
import { writeFileAtomic } from '../report/atomic.ts';
import { requireClaims, type ReplayData } from './replay.ts';
import { buildDataRegion } from './region.ts';
import type { Estimate } from './estimate.ts';
import { ParamBook, sig, type ParamLine } from './calibrate/book.ts';
import { claimStats } from './calibrate/claims-stats.ts';
import { dataCohort } from './calibrate/cohort.ts';
import { fitIncidence } from './calibrate/incidence.ts';
import { fitPrevalence, type PrevalenceFit } from './calibrate/prevalence.ts';
import { fitRegion } from './calibrate/region-fit.ts';
import { fitUtilization } from './calibrate/utilization.ts';

export { ratesByCondition, additiveRates } from './additive-rates.ts';
export type { ParamLine } from './calibrate/book.ts';
export { paramReport } from './calibrate/report.ts';
import { paramReport } from './calibrate/report.ts';

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
  /** Every parameter: fitted (estimate, standard error, n), kept from the template, or set by construction. */
  params: ParamLine[];
  /** Fitted numbers with their standard errors, by parameter path. */
  estimates: Record<string, Estimate>;
  notes: string[];
}

/** The fragment's conditions: the data's (present in the enrollment), then the template's others. */
function fragmentConditions(data: ReplayData, base: ScenarioFile): { conds: string[]; present: string[] } {
  const e = data.enrollment;
  const present = e.universe.filter((_, b) => {
    for (let p = 0; p < e.n; p++) if (e.conditions[p] & (1 << b)) return true;
    return false;
  });
  const baseConds = Object.keys(base.population.prevalence);
  const conds = [...present, ...baseConds.filter((c) => !present.includes(c))];
  if (conds.length > 8) throw new FundcastError('ERR_DATA_CONDITIONS', `the data has ${present.length} conditions and the base scenario ${baseConds.length} others: a scenario declares at most 8 (${conds.join(', ')})`);
  return { conds, present };
}

/** population.prevalence and comorbidity from the joint prevalence fit; treatedShare stays the template's. */
function prevalenceParams(pf: PrevalenceFit, conds: string[], present: string[], base: ScenarioFile, book: ParamBook, y0: number): Record<string, unknown> {
  const prevalence: Record<string, unknown> = {};
  for (const c of conds) {
    if (pf.untreated.includes(c)) {
      prevalence[c] = book.kept(`population.prevalence.${c}`, base.population.prevalence[c] as { unit?: string; source?: string }, `the template's treatedShare of ${c} is 0, so its registered patients cannot tell its prevalence`, at(base.population.prevalence[c], y0));
      continue;
    }
    const v = Object.fromEntries(ADULT_AGE_BANDS.map((b) => [b, sig(pf.share[c][b].value)]));
    prevalence[c] = book.fitted(
      `population.prevalence.${c}`,
      'share',
      pf.counted,
      `adult patients registered on the first day${present.includes(c) ? '' : `, none with ${c} (the template declares it)`}: registered share ÷ the template's treatedShare`,
      v,
      pf.share[c],
    );
  }
  for (const c of conds) book.keptAsIs(`population.treatedShare.${c}`, "the prevalence is fitted as the registered share ÷ the template's treatedShare", 'share');
  const out: Record<string, unknown> = { prevalence };
  if (base.population.comorbidity) {
    const template = at(base.population.comorbidity, y0);
    const value: Record<string, number> = {};
    const est: Record<string, Estimate> = {};
    const kept: Record<string, string> = {};
    for (const pair of Object.keys(template)) {
      const f = pf.oddsRatio[pair];
      if (f) {
        value[pair] = sig(Math.min(50, f.value), 4);
        est[pair] = f;
      } else {
        value[pair] = template[pair];
        kept[pair] = 'no patient with both conditions, or none with one alone';
      }
    }
    if (Object.keys(est).length > 0) out.comorbidity = book.fitted('population.comorbidity', 'odds ratio', pf.counted, 'adult patients registered on the first day (the odds ratio whose expected count of patients registered with both, over the prevalence bands, is the data’s)', value, est, kept);
    else book.keptAsIs('population.comorbidity', 'no pair of related conditions in the data', 'odds ratio');
  }
  return out;
}

/** population.incidence: the template's age profile, its level per condition fitted to the new registrations. */
function incidenceParam(cohort: ReturnType<typeof dataCohort>, base: ScenarioFile, residents: number, pf: PrevalenceFit, book: ParamBook, y0: number): Record<string, unknown> | undefined {
  const prevalence = Object.fromEntries(cohort.conds.map((c) => [c, Object.fromEntries(ADULT_AGE_BANDS.map((b) => [b, pf.untreated.includes(c) ? (at(base.population.prevalence[c], y0) as Record<string, number>)[b] : pf.share[c][b].value]))]));
  const fit = fitIncidence(cohort, base, residents, prevalence);
  const value: Record<string, Record<string, number>> = {};
  const kept: Record<string, string> = {};
  let any = false;
  let n = 0;
  for (const c of cohort.conds) {
    const f = fit.factor[c];
    if (f) {
      any = true;
      n += fit.observed[c];
      value[c] = Object.fromEntries(Object.entries(fit.template[c]).map(([band, x]) => [band, sig(Math.min(1, x * f.value))]));
      book.lines.push({ path: `population.incidence.${c}`, status: 'fitted', unit: "factor on the template's incidence", estimate: f.value, se: f.se, n: f.n });
    } else {
      value[c] = fit.template[c];
      kept[c] = "the template's incidence is 0";
      book.lines.push({ path: `population.incidence.${c}`, status: 'kept', unit: 'share/year', reason: kept[c] });
    }
  }
  if (!any) return undefined;
  const keptNote = Object.entries(kept).map(([k, r]) => `${k}: kept from the template (${r})`).join('; ');
  return {
    unit: 'share/year',
    source: book.source(n, `patients registered during the period, against those the template's incidence (its age profile, at ${y0}) expects from the at-risk insured adults: each condition's incidence × that factor`),
    value,
    ...(keptNote ? { note: keptNote } : {}),
  };
}

/** Parameters of the template the fragment does not write: kept from the template. */
function keptFromTemplate(base: ScenarioFile, book: ParamBook): void {
  const decided = book.lines.map((l) => l.path);
  const covered = (path: string) => decided.some((d) => d === path || d.startsWith(`${path}.`) || path.startsWith(`${d}.`));
  for (const { path, param } of listDated(base)) {
    const p = path.join('.');
    if (!covered(p)) book.keptAsIs(p, 'not fitted by calibrate', param.unit);
  }
}

/** Fit the synthesis parameters to the data. */
export function calibrate(data: ReplayData, o: CalibrateOptions): Fit {
  requireClaims(data);
  const base = o.base.scenario;
  const notes: string[] = [];
  const { enrollment: e, claims, years } = data;
  const y0 = years[0];
  const nY = years.length;
  const period = nY === 1 ? String(y0) : `${y0}–${years[nY - 1]}`;
  const files = [data.sources.enrollment.file, data.sources.claims.file].map((f) => basename(f)).join(', ');
  const book = new ParamBook(files, period);
  const { conds, present } = fragmentConditions(data, base);
  const cohort = dataCohort(e, years, conds);

  // Region (as replay builds it), for facility roles and each person's hospital.
  const order = claimOrder(claims.person, claims.ymd, e.n, y0, years[nY - 1]);
  const dr = buildDataRegion(base, e, claims, order, data.facilities, { residents: o.residents });
  notes.push(...dr.notes);

  const pf = fitPrevalence(cohort, e, base, dr.region.residents);
  if (pf.children) notes.push(`${pf.children} registered children (< 18) are left out of the prevalence: the synthesis has no chronic patients under 18`);
  if (pf.unknownAge) notes.push(`${pf.unknownAge} persons without a birth year or age are left out of the prevalence (their rates count at the reference age)`);
  if (pf.registeredLater) notes.push(`${pf.registeredLater} patients registered during the period are new diagnoses: the prevalence counts those registered on ${y0}-01-01, and they set the level of the incidence`);
  const population = prevalenceParams(pf, conds, present, base, book, y0);
  const incidence = incidenceParam(cohort, base, dr.region.residents, pf, book, y0);
  if (incidence) population.incidence = incidence;
  const rf = fitRegion(dr, e, cohort, base, book, notes);
  population.signedShare = rf.signedShare;
  if (base.population.signedShareByCondition) {
    population.signedShareByCondition = null;
    book.set('population.signedShareByCondition', 'removed (null): the fitted signedShare applies to every patient');
    notes.push("the template's signedShareByCondition is removed (null): the fitted signedShare applies to every patient");
  }
  const stats = claimStats(e, claims, dr.urban, base, y0, nY);
  const utilization = fitUtilization({ cohort, stats, base, book, notes, hasDays: claims.has.days, hasResidence: e.has.residence });
  keptFromTemplate(base, book);

  let patientYears = 0;
  for (let p = 0; p < e.n; p++) patientYears += cohort.pyears[p];
  const fragment: Record<string, unknown> = {
    fundcast: 1,
    name: o.name ?? 'calibrated',
    title: `Calibrated to ${files} (${period})`,
    description: `Synthesis parameters fitted by \`fundcast calibrate\` to ${files} (${period}): ${rf.persons.toLocaleString('en-US')} registered patients, ${claims.n.toLocaleString('en-US')} claims. Rules, financing, payment models and the cohort's flows are the base scenario's.`,
    extends: '',
    horizon: { startYear: y0, years: nY },
    region: rf.region,
    population,
    utilization,
  };
  return {
    fragment,
    facts: { persons: rf.persons, children: pf.children, unknownAge: pf.unknownAge, patientYears: sig(patientYears, 6), claims: claims.n, admissions: stats.admissions, conditions: conds, byBand: pf.count, prevalenceBySex: pf.bySex },
    params: book.lines,
    estimates: book.estimates(),
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
    ' Prevalence is the registered share (patients registered for the benefit on the first day ÷',
    " insured adults of the age band) ÷ the template's treatedShare: the synthesis registers a",
    ' patient with probability prevalence × treatedShare.',
    ' Run it: fundcast run THIS-FILE   (replications, seed and everything not fitted: the base scenario)',
    ...(fit.notes.length ? ['', ' Notes:', ...fit.notes.map((n) => `  - ${n}`)] : []),
    '',
    ...paramReport(fit.params).map((l) => ` ${l}`),
    '',
    ' Registered share by sex (not a parameter: the synthesis has no sex-specific prevalence):',
    ...Object.entries(fit.facts.prevalenceBySex).map(([c, b]) => `   ${c}: ${Object.entries(b).map(([band, v]) => `${band} male ${sig(v.male, 4)} female ${sig(v.female, 4)}`).join('; ')}`),
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** How a fragment read from the working directory names the base: its embedded name, or its file's absolute path. */
export function baseReference(baseRef: string, base: LoadedScenario): string {
  const embedded = !existsSync(resolve(baseRef)) && base.files[0].startsWith(resolve(packageRoot(), 'scenarios'));
  return embedded ? baseRef : base.files[0];
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
