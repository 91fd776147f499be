/**
 * A tiny scenario (test/helpers/tiny.ts) in which one patient-year's fund payment is a pure compound
 * Poisson–lognormal sum, so the simulation can be checked against exact actuarial answers:
 *
 * - hypertension only (diabetes prevalence 0), every prevalent case treated (more patient-years);
 * - no refill visits: refill λ = adherence × days per month ÷ mean days per visit, so adherence 0 → 0;
 * - other visits ~ Poisson(λ) a month for hypertension, i.e. Poisson(12λ) a year;
 * - no admissions (hospitalization rate 0);
 * - a closed cohort of whole patient-years: no deaths, leavers or new registrations, and no age
 *   factors (every age band visits at λ);
 * - every visit at the village tier, for rural and urban residents alike (tierPreference all
 *   village, so the signed patients' hospital-to-primary shift moves nothing and nothing is off-site);
 * - service cost per visit lognormal(median m, sigma s) at the village tier, cost index 1
 *   (costTrend 0, costBaseYear = the start year);
 * - fund share = cost: eligible share 1, no individual pre-payment, deductible 0, ratio 1, a huge
 *   annual cap, and the signing waiver off (it would not matter with deductible 0 either).
 *
 * The only departure from the continuous model: each visit's cost is rounded to the fen.
 *
 * The conditions are those the base scenario declares (the keys of population.prevalence): every one
 * but hypertension gets prevalence 0 and rates 0, so the helper keeps working as conditions are
 * added. Optional rules the base may switch on are neutralised when it has them (re-review after
 * idle months: set beyond the horizon; drug-only eligibility: off).
 */
import { loadScenario, parseScenarioText, type LoadedScenario } from '../../engine/params/load.ts';
import { tinyScenarioText } from './tiny.ts';

export interface CompoundOptions {
  /** Non-refill visits per month (λ). */
  visitsPerMonth: number;
  /** Median (yuan) and log-sd of the service cost of a visit. */
  median: number;
  sigma: number;
  years?: number;
  residents?: number;
  seed?: number;
  replications?: number;
}

/** The same value in every age band of the cohort's rates. */
const bands = (v: number) => ({ '18-44': v, '45-59': v, '60-69': v, '70-79': v, '80+': v });
const p = (unit: string, value: unknown) => `{ unit: "${unit}", source: "assumption: analytic test", value: ${JSON.stringify(value)} }`;

export function compoundScenarioText(o: CompoundOptions): string {
  const base = loadScenario('wuhu-default').scenario;
  const others = Object.keys(base.population.prevalence).filter((c) => c !== 'hypertension');
  const perCondition = (h: unknown, other: unknown) => Object.fromEntries([['hypertension', h], ...others.map((c) => [c, other])]);
  const tier = { village: 1, township: 0, hospital: 0 };
  const svc = { median: o.median, sigma: o.sigma };
  const b = base.benefits as Record<string, unknown>;
  const optional = [
    ...('reReviewAfterMonths' in b && b.reReviewAfterMonths !== undefined ? [`  reReviewAfterMonths: ${p('months', 120)}`] : []),
    ...('eligibleDrugsOnly' in b && b.eligibleDrugsOnly !== undefined ? [`  eligibleDrugsOnly: ${p('flag', false)}`] : []),
  ];
  const extra = `population:
  prevalence:
${others.map((c) => `    ${c}: ${p('share', { '18-44': 0, '45-64': 0, '65+': 0 })}`).join('\n')}
  treatedShare:
    hypertension: ${p('share', 1)}
${others.map((c) => `    ${c}: ${p('share', 0)}`).join('\n')}
  mortality: ${p('share/year', { male: bands(0), female: bands(0) })}
  leaverRate: ${p('share/year', bands(0))}
  incidence: ${p('share/year', perCondition(bands(0), bands(0)))}
  ageFactors: ${p('factor', { consultVisits: bands(1), admissions: bands(1), drugCost: bands(1) })}
  complicationDurationFactor: ${p('factor per 5 years', 1)}
utilization:
  costBaseYear: 2025
  refillAdherence: ${p('share', 0)}
  consultVisitsPerMonth: ${p('visits/month', perCondition(o.visitsPerMonth, 0))}
  tierPreference: ${p('share', { rural: tier, urban: tier })}
  hospitalizationRate: ${p('admissions/year', perCondition(0, 0))}
  serviceCostPerVisit: ${p('yuan', { village: svc, township: svc, hospital: svc })}
  costTrend: ${p('share/year', 0)}
  eligibleShare: ${p('share', 1)}
  offSiteShare: ${p('share', { inProvinceReferred: 0, inProvinceUnreferred: 0, crossProvinceReferred: 0, crossProvinceUnreferred: 0 })}
benefits:
  deductible: ${p('yuan/year', 0)}
  ratio: ${p('share', { village: 1, township: 1, hospital: 1 })}
  annualCap: ${p('yuan/year', 1e9)}
  individualPrepayment: ${p('share', { village: 0, township: 0, hospital: 0 })}
  signingWaivesDeductible: ${p('flag', false)}
${optional.join('\n')}
`;
  return tinyScenarioText({ years: o.years ?? 2, residents: o.residents, seed: o.seed, replications: o.replications ?? 1, extra });
}

export function compoundScenario(o: CompoundOptions): LoadedScenario {
  return parseScenarioText(compoundScenarioText(o), '<compound-test>');
}
