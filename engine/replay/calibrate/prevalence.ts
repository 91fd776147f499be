/**
 * Prevalence, fitted jointly over the conditions (docs/replay.md, "Calibrate"). The synthesis draws
 * each adult's conditions with the prevalence of their age band, a related pair (population.
 * comorbidity) with its odds ratio (Plackett's bivariate binary), and registers each condition with
 * its treatedShare. So the registered share of a band — patients registered on the period's first
 * day ÷ insured adults of the band (residents × insuredShare × ageStructure of the template) — is
 * prevalence × treatedShare: the prevalence is fitted as registered share ÷ the template's
 * treatedShare, and each pair's odds ratio as the one whose expected count of patients registered
 * with both (Σ bands adults × t₁ t₂ p₁₁(p₁, p₂, OR)) is the data's (standard error by the delta
 * method from the count's Poisson variance). Keeping the template's treatedShare keeps the at-risk
 * pools of incidence and the mortality of people without the conditions as the template states them.
 */
import { at } from '../../params/param.ts';
import { ADULT_AGE_BANDS, type ScenarioFile } from '../../params/schema.ts';
import type { Enrollment } from '../enrollment.ts';
import { shareEstimate, type Estimate } from '../estimate.ts';
import { conditionalPair } from '../../population/synthesize.ts';
import type { DataCohort } from './cohort.ts';

export interface PrevalenceFit {
  /** Prevalence (registered share ÷ treatedShare) by condition and band. */
  share: Record<string, Record<string, Estimate>>;
  /** Conditions whose treatedShare is 0 in the template (their prevalence cannot be told: kept). */
  untreated: string[];
  /** Counted patients by condition and band. */
  count: Record<string, Record<string, number>>;
  /** Insured adults by band (the denominators). */
  adults: Record<string, number>;
  /** Registered share by sex (a comment: the synthesis has no sex-specific prevalence). */
  bySex: Record<string, Record<string, { male: number; female: number }>>;
  /** Odds ratio of each related pair ("first+second") present in the data. */
  oddsRatio: Record<string, Estimate>;
  /** Patients counted (adults of known age registered on the first day). */
  counted: number;
  children: number;
  unknownAge: number;
  /** Patients registered during the period (new diagnoses: the template's incidence applies). */
  registeredLater: number;
}

const bandOf = (age: number) => (age < 45 ? '18-44' : age < 65 ? '45-64' : '65+');

export function fitPrevalence(c: DataCohort, e: Enrollment, base: ScenarioFile, residents: number): PrevalenceFit {
  const { conds, y0 } = c;
  const K = conds.length;
  const zero = () => Object.fromEntries(ADULT_AGE_BANDS.map((b) => [b, 0])) as Record<string, number>;
  const count = Object.fromEntries(conds.map((k) => [k, zero()]));
  const sexCount = Object.fromEntries(conds.map((k) => [k, Object.fromEntries(ADULT_AGE_BANDS.map((b) => [b, { male: 0, female: 0 }]))]));
  const byMask = Object.fromEntries(ADULT_AGE_BANDS.map((b) => [b, new Map<number, number>()]));
  let children = 0;
  let unknownAge = 0;
  let counted = 0;
  let registeredLater = 0;
  for (let p = 0; p < e.n; p++) {
    if (c.pyears[p] === 0) continue;
    if (!c.atStart[p]) {
      registeredLater++;
      continue;
    }
    if (c.age[p] < 0) {
      unknownAge++;
      continue;
    }
    if (c.age[p] < 18) {
      children++;
      continue;
    }
    const band = bandOf(c.age[p]);
    counted++;
    byMask[band].set(c.mask[p], (byMask[band].get(c.mask[p]) ?? 0) + 1);
    for (let k = 0; k < K; k++) {
      if (!(c.mask[p] & (1 << k))) continue;
      count[conds[k]][band]++;
      if (e.male[p] === 1) sexCount[conds[k]][band].male++;
      else if (e.male[p] === 0) sexCount[conds[k]][band].female++;
    }
  }
  // Insured adults of a band: ages are uniform within ageStructure's bands, so 60–69 is half 60–64, half 65–69.
  const ageShares = at(base.population.ageStructure, y0);
  const insured = at(base.region.insuredShare, y0);
  const maleShare = at(base.population.maleShare, y0);
  const bandShare: Record<string, number> = { '18-44': ageShares['18-44'], '45-64': ageShares['45-59'] + ageShares['60-69'] / 2, '65+': ageShares['60-69'] / 2 + ageShares['70-79'] + ageShares['80+'] };
  const adults = Object.fromEntries(ADULT_AGE_BANDS.map((b) => [b, residents * insured * bandShare[b]]));
  const treated = Object.fromEntries(conds.map((k) => [k, base.population.treatedShare[k] ? at(base.population.treatedShare[k], y0) : 1]));
  const untreated = conds.filter((k) => !(treated[k] > 0));
  const share = Object.fromEntries(
    conds.map((k) => [
      k,
      Object.fromEntries(
        ADULT_AGE_BANDS.map((b) => {
          const r = shareEstimate(Math.min(count[k][b], adults[b]), adults[b]);
          const t = treated[k] > 0 ? treated[k] : 1;
          return [b, { value: Math.min(1, r.value / t), se: r.se / t, n: r.n }];
        }),
      ),
    ]),
  );
  const bySex = Object.fromEntries(conds.map((k) => [k, Object.fromEntries(ADULT_AGE_BANDS.map((b) => [b, { male: sexCount[k][b].male / (adults[b] * maleShare), female: sexCount[k][b].female / (adults[b] * (1 - maleShare)) }]))]));

  const oddsRatio: Record<string, Estimate> = {};
  const pairs = base.population.comorbidity ? Object.keys(at(base.population.comorbidity, y0)) : [];
  for (const pair of pairs) {
    const [id1, id2] = pair.split('+');
    const [i, j] = [conds.indexOf(id1), conds.indexOf(id2)];
    if (i < 0 || j < 0 || untreated.includes(id1) || untreated.includes(id2)) continue;
    let both = 0;
    for (const b of ADULT_AGE_BANDS) for (const [m, n] of byMask[b]) if ((m >> i) & 1 && (m >> j) & 1) both += n;
    const expected = (or: number) =>
      ADULT_AGE_BANDS.reduce((a, b) => {
        const p1 = share[id1][b].value;
        const p2 = share[id2][b].value;
        return a + adults[b] * treated[id1] * treated[id2] * conditionalPair(p1, p2, or)[0] * p1;
      }, 0);
    const or = solveOddsRatio(expected, both);
    if (or) oddsRatio[pair] = or;
  }
  return { share, untreated, count, adults, bySex, oddsRatio, counted, children, unknownAge, registeredLater };
}

/** Odds-ratio bounds of the schema (population.comorbidity). */
const OR_MIN = 0.02;
const OR_MAX = 50;

/**
 * The odds ratio whose expected count of patients with both conditions is `observed` (expected is
 * increasing in it): bisection on its logarithm within the schema's bounds; the standard error from
 * the count's Poisson variance, √observed ÷ d expected/d OR. Null when no patient has both.
 */
export function solveOddsRatio(expected: (or: number) => number, observed: number): Estimate | null {
  if (!(observed > 0)) return null;
  let lo = Math.log(OR_MIN);
  let hi = Math.log(OR_MAX);
  if (expected(Math.exp(hi)) <= observed) lo = hi;
  else if (expected(Math.exp(lo)) >= observed) hi = lo;
  for (let k = 0; k < 100 && hi - lo > 1e-12; k++) {
    const mid = (lo + hi) / 2;
    if (expected(Math.exp(mid)) < observed) lo = mid;
    else hi = mid;
  }
  const or = Math.exp((lo + hi) / 2);
  const h = or * 1e-4;
  const slope = (expected(or + h) - expected(Math.max(OR_MIN / 2, or - h))) / (or + h - Math.max(OR_MIN / 2, or - h));
  return { value: or, se: slope > 0 ? Math.sqrt(observed) / slope : 0, n: Math.round(observed) };
}
