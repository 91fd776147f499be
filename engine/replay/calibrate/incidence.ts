/**
 * New registrations (docs/replay.md, "Calibrate"): the synthesis registers new patients each year
 * from the insured adults without the condition, at the template's incidence by age band
 * (population.incidence; docs/model.md, "The cohort"). The data's patients registered during the
 * period are those new registrations; the template's age profile is kept and its level fitted:
 * factor = registered during the period ÷ what the template's incidence expects from the data's
 * at-risk adults (insured adults of the band × (1 − the fitted prevalence), each year of the period),
 * with the Poisson standard error √observed ÷ expected.
 */
import { at } from '../../params/param.ts';
import { AGE_BANDS, RATE_BANDS, type ScenarioFile } from '../../params/schema.ts';
import { enrolmentFactor } from '../../population/region.ts';
import type { Estimate } from '../estimate.ts';
import type { DataCohort } from './cohort.ts';

/** Mid-age of each rate band → its prevalence band (as the synthesis reads the at-risk share). */
const PREVALENCE_BAND_OF_RATE = ['18-44', '45-64', '45-64', '65+', '65+'];

export interface IncidenceFit {
  /** Factor on the template's incidence, per condition (null: the template's incidence is 0, or no data year). */
  factor: Record<string, Estimate | null>;
  /** The template's incidence at the period's start, per condition and rate band. */
  template: Record<string, Record<string, number>>;
  /** New registrations observed, per condition. */
  observed: Record<string, number>;
}

export function fitIncidence(c: DataCohort, base: ScenarioFile, residents: number, prevalence: Record<string, Record<string, number>>): IncidenceFit {
  const { conds, years, y0 } = c;
  const observed = Object.fromEntries(conds.map((k) => [k, 0]));
  for (let p = 0; p < c.mask.length; p++) {
    if (c.entry[p] < 0 || c.pyears[p] === 0) continue;
    if (c.age[p] >= 0 && c.age[p] + c.entry[p] < 18) continue; // the synthesis registers adults only
    conds.forEach((k, j) => {
      if ((c.mask[p] >> j) & 1) observed[k]++;
    });
  }
  const insured = residents * at(base.region.insuredShare, y0);
  const template = Object.fromEntries(conds.map((k) => [k, at(base.population.incidence, y0)[k] ?? Object.fromEntries(RATE_BANDS.map((b) => [b, 0]))]));
  const factor: Record<string, Estimate | null> = {};
  for (const k of conds) {
    let expected = 0;
    years.forEach((year, yi) => {
      const ages = at(base.population.ageStructure, year);
      const inc = at(base.population.incidence, year)[k];
      if (!inc) return;
      const insuredNow = insured * enrolmentFactor(base, years, 0, yi);
      RATE_BANDS.forEach((rb, band) => {
        expected += insuredNow * ages[AGE_BANDS[band + 1]] * (1 - (prevalence[k]?.[PREVALENCE_BAND_OF_RATE[band]] ?? 0)) * inc[rb];
      });
    });
    factor[k] = expected > 0 ? { value: observed[k] / expected, se: Math.sqrt(observed[k]) / expected, n: observed[k] } : null;
  }
  return { factor, template, observed };
}
