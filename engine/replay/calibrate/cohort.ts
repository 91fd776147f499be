/**
 * The data's patients as the synthesis sees them (docs/model.md, "The cohort"): each person's
 * conditions as a mask over the fragment's conditions, registered months in each year of the period,
 * age, whether they were registered on the period's first day (the prevalent cohort) or registered
 * later (a new diagnosis), and the age and duration factors the kernel applies to their rates.
 */
import { at } from '../../params/param.ts';
import { RATE_BANDS, type ScenarioFile } from '../../params/schema.ts';
import { rateBand } from '../../population/synthesize.ts';
import type { Enrollment } from '../enrollment.ts';
import { registeredMonths, registeredOn } from '../exposure.ts';

export interface DataCohort {
  /** Years of the period, the first. */
  years: number[];
  y0: number;
  /** Conditions of the fragment; each person's mask over them. */
  conds: string[];
  mask: Uint8Array;
  /** Registered months of person p in year index y: months[p × nY + y]. */
  months: Float64Array;
  /** Patient-years of each person in the period. */
  pyears: Float64Array;
  /** Age at the period's start (−1 unknown). */
  age: Int16Array;
  /** 1: registered on the period's first day (the synthesis's prevalent cohort). */
  atStart: Uint8Array;
  /** Year index of registration of a person registered during the period (−1: at the start). */
  entry: Int16Array;
}

export function dataCohort(e: Enrollment, years: number[], conds: string[]): DataCohort {
  const y0 = years[0];
  const nY = years.length;
  const bitOf = e.universe.map((id) => conds.indexOf(id));
  const mask = new Uint8Array(e.n);
  const months = new Float64Array(e.n * nY);
  const pyears = new Float64Array(e.n);
  const age = new Int16Array(e.n);
  const atStart = new Uint8Array(e.n);
  const entry = new Int16Array(e.n).fill(-1);
  for (let p = 0; p < e.n; p++) {
    let m = 0;
    for (let b = 0; b < e.universe.length; b++) if (e.conditions[p] & (1 << b)) m |= 1 << bitOf[b];
    mask[p] = m;
    const mo = registeredMonths(e.from[p], e.to[p], y0, years[nY - 1]);
    for (let y = 0; y < nY; y++) {
      months[p * nY + y] = mo[y];
      pyears[p] += mo[y] / 12;
    }
    age[p] = e.birthYear[p] >= 0 ? y0 - e.birthYear[p] : e.age[p];
    atStart[p] = registeredOn(e.from[p], e.to[p], y0 * 10000 + 101) ? 1 : 0;
    if (!atStart[p] && pyears[p] > 0) entry[p] = Math.max(0, Math.floor(e.from[p] / 10000) - y0);
  }
  return { years, y0, conds, mask, months, pyears, age, atStart, entry };
}

/** The kernel's rate band of a person in year index y (ages below 18 count as 18). */
export function bandIn(c: DataCohort, p: number, y: number): number {
  return rateBand(Math.max(18, c.age[p] + y));
}

/**
 * Expected complication-duration factor durF^d of a person in year index y, d the five-year step of
 * years since diagnosis (0–4, 5–9, 10–14, 15+): a person registered during the period was diagnosed
 * that year; one of the prevalent cohort has the synthesis's years since diagnosis, min(⌊X⌋, age − 18)
 * with X exponential of the template's mean (population.yearsSinceDiagnosis, kept from the template).
 */
export function durationFactor(c: DataCohort, p: number, y: number, durF: number, meanYears: number): number {
  const step = (since: number) => (since < 5 ? 0 : since < 10 ? 1 : since < 15 ? 2 : 3);
  if (c.entry[p] >= 0) return durF ** step(Math.max(0, y - c.entry[p]));
  const cap = Math.max(0, c.age[p] - 18);
  let ev = 0;
  let tail = 1; // P(⌊X⌋ ≥ k)
  for (let k = 0; k < cap; k++) {
    const next = Math.exp(-(k + 1) / meanYears);
    ev += (tail - next) * durF ** step(k + y);
    tail = next;
  }
  return ev + tail * durF ** step(cap + y);
}

/** Age factors of the template (population.ageFactors) in a year, by rate band index. */
export function ageFactorsIn(s: ScenarioFile, year: number): { consult: number[]; admissions: number[]; drug: number[] } {
  const f = at(s.population.ageFactors, year);
  return { consult: RATE_BANDS.map((b) => f.consultVisits[b]), admissions: RATE_BANDS.map((b) => f.admissions[b]), drug: RATE_BANDS.map((b) => f.drugCost[b]) };
}
