/**
 * Prevalence, fitted jointly over the conditions (docs/replay.md, "Calibrate"): the registered share
 * of each condition by adult age band — patients registered on the period's first day ÷ insured
 * adults of the band (residents × insuredShare × ageStructure of the template) — and, for each pair
 * of conditions the template relates (population.comorbidity), their common odds ratio over the
 * bands (Mantel–Haenszel, with the Robins–Breslow–Greenland standard error). The synthesis draws the
 * pair from exactly these: the marginal shares and the odds ratio (Plackett's bivariate binary).
 */
import { at } from '../../params/param.ts';
import { ADULT_AGE_BANDS, type ScenarioFile } from '../../params/schema.ts';
import type { Enrollment } from '../enrollment.ts';
import { shareEstimate, type Estimate } from '../estimate.ts';
import type { DataCohort } from './cohort.ts';

export interface PrevalenceFit {
  /** Registered share by condition and band. */
  share: Record<string, Record<string, Estimate>>;
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
  const share = Object.fromEntries(conds.map((k) => [k, Object.fromEntries(ADULT_AGE_BANDS.map((b) => [b, shareEstimate(Math.min(count[k][b], adults[b]), adults[b])]))]));
  const bySex = Object.fromEntries(conds.map((k) => [k, Object.fromEntries(ADULT_AGE_BANDS.map((b) => [b, { male: sexCount[k][b].male / (adults[b] * maleShare), female: sexCount[k][b].female / (adults[b] * (1 - maleShare)) }]))]));

  const oddsRatio: Record<string, Estimate> = {};
  const pairs = base.population.comorbidity ? Object.keys(at(base.population.comorbidity, y0)) : [];
  for (const pair of pairs) {
    const [i, j] = pair.split('+').map((id) => conds.indexOf(id));
    if (i < 0 || j < 0) continue;
    const or = mantelHaenszel(
      ADULT_AGE_BANDS.map((b) => {
        let both = 0;
        let first = 0;
        let second = 0;
        for (const [m, n] of byMask[b]) {
          const hasI = (m >> i) & 1;
          const hasJ = (m >> j) & 1;
          if (hasI && hasJ) both += n;
          else if (hasI) first += n;
          else if (hasJ) second += n;
        }
        return { a: both, b: first, c: second, d: Math.max(0, adults[b] - both - first - second) };
      }),
    );
    if (or) oddsRatio[pair] = or;
  }
  return { share, count, adults, bySex, oddsRatio, counted, children, unknownAge, registeredLater };
}

/**
 * Mantel–Haenszel common odds ratio over strata of 2×2 tables (a: both, b: first only, c: second
 * only, d: neither), with the Robins–Breslow–Greenland (1986) variance of its logarithm; the
 * standard error of the ratio by the delta method. Null when a sum is 0 (no pair, or no single).
 */
export function mantelHaenszel(strata: { a: number; b: number; c: number; d: number }[]): Estimate | null {
  let R = 0;
  let S = 0;
  let PR = 0;
  let PSQR = 0;
  let QS = 0;
  let n = 0;
  for (const { a, b, c, d } of strata) {
    const t = a + b + c + d;
    if (!(t > 0)) continue;
    const r = (a * d) / t;
    const s = (b * c) / t;
    const P = (a + d) / t;
    const Q = (b + c) / t;
    R += r;
    S += s;
    PR += P * r;
    PSQR += P * s + Q * r;
    QS += Q * s;
    n += a + b + c;
  }
  if (!(R > 0 && S > 0)) return null;
  const or = R / S;
  const varLog = PR / (2 * R * R) + PSQR / (2 * R * S) + QS / (2 * S * S);
  return { value: or, se: or * Math.sqrt(varLog), n };
}
