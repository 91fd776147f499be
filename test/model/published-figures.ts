/**
 * Published figures the default scenario (wuhu-default) is checked against (docs/model.md, "The
 * defaults against published figures"): each with its source, the model's value (from a run of the
 * default's rules in 2025, or implied by its parameters where the figure is about the whole population
 * rather than registered patients), and either a 10% tolerance or the reason it differs.
 */
import { at } from '../../engine/params/param.ts';
import type { ScenarioFile } from '../../engine/params/schema.ts';
import { conditionalPair } from '../../engine/population/synthesize.ts';
import type { Summary } from '../../engine/run/summarize.ts';
import { perCapitaFinancing } from '../../engine/ledger/financing.ts';

export interface Figure {
  id: string;
  what: string;
  published: number;
  unit: string;
  source: string;
  /** The model's value: `run` from the 2025 summary of a run of the default's rules (at any scale). */
  model: (s: ScenarioFile, run: Summary) => number;
  /** Within 10% of the published value; or why not. */
  differs?: string;
}

/** Adult share of a prevalence band of the default's age structure (ages uniform within its bands). */
function adultPrevalence(s: ScenarioFile, condition: string): number {
  const a = at(s.population.ageStructure, 2025);
  const p = at(s.population.prevalence[condition], 2025);
  const adults = a['18-44'] + a['45-59'] + a['60-69'] + a['70-79'] + a['80+'];
  return (a['18-44'] * p['18-44'] + (a['45-59'] + a['60-69'] / 2) * p['45-64'] + (a['60-69'] / 2 + a['70-79'] + a['80+']) * p['65+']) / adults;
}

const y = (run: Summary) => run.models[0].years[0];

export const FIGURES: Figure[] = [
  {
    id: 'htn-prevalence',
    what: 'adult prevalence of hypertension',
    published: 0.275,
    unit: 'share',
    source: 'China Chronic Disease and Risk Factor Surveillance 2018 (Zhang M et al., 中华流行病学杂志 2021;42:1780)',
    model: (s) => adultPrevalence(s, 'hypertension'),
    differs: "the model's prevalence by age applied to resident insurance's older age structure (60+ 24.8% of residents vs 18.7% in the 2020 census); the national 27.5% is of all adults",
  },
  {
    id: 'dm-prevalence',
    what: 'adult prevalence of diabetes',
    published: 0.124,
    unit: 'share',
    source: 'China Chronic Disease and Risk Factor Surveillance 2018 (Wang L et al., JAMA 2021;326:2498)',
    model: (s) => adultPrevalence(s, 'diabetes'),
  },
  {
    id: 'htn-treated',
    what: 'share of hypertension treated',
    published: 0.346,
    unit: 'share',
    source: 'CCDRFS 2018, adults 18–69 (Zhang M et al., BMJ 2023;380:e071952)',
    model: (s) => at(s.population.treatedShare.hypertension, 2025),
  },
  {
    id: 'dm-treated',
    what: 'share of diabetes treated',
    published: 0.329,
    unit: 'share',
    source: 'CCDRFS 2018 (Wang L et al., JAMA 2021)',
    model: (s) => at(s.population.treatedShare.diabetes, 2025),
  },
  {
    id: 'htn-among-dm',
    what: 'share of diabetes patients with hypertension',
    published: 0.54,
    unit: 'share',
    source: 'meta-analysis (Zhang X et al., Int Health 2024;16:144): 54% (47–61%)',
    model: (s) => {
      // P(hypertension | diabetes) in the model's population: Plackett pairs by age band, weighted.
      const a = at(s.population.ageStructure, 2025);
      const p1 = at(s.population.prevalence.hypertension, 2025);
      const p2 = at(s.population.prevalence.diabetes, 2025);
      const or = s.population.comorbidity ? at(s.population.comorbidity, 2025)['hypertension+diabetes'] ?? 1 : 1;
      const w = { '18-44': a['18-44'], '45-64': a['45-59'] + a['60-69'] / 2, '65+': a['60-69'] / 2 + a['70-79'] + a['80+'] };
      let both = 0;
      let dm = 0;
      for (const b of ['18-44', '45-64', '65+'] as const) {
        const [given] = conditionalPair(p1[b], p2[b], or);
        both += w[b] * given * p1[b];
        dm += w[b] * p2[b];
      }
      return both / dm;
    },
  },
  {
    id: 'admission-cost',
    what: 'cost per admission (resident insurance)',
    published: 7674,
    unit: 'yuan',
    source: 'NHSA 2023 statistical bulletin (hospitals, all insurers: 10,315.8, NHC 2023 bulletin)',
    model: (_s, run) => inpatientCost(run),
  },
  {
    id: 'inpatient-ratio',
    what: 'inpatient fund share of in-catalogue cost (resident insurance)',
    published: 0.681,
    unit: 'share',
    source: 'NHSA 2023 statistical bulletin: 68.1% (63.2 / 72.4 / 80.8% at level 3 / 2 / 1)',
    model: (s, run) => y(run).inpatientFund.mean / (inpatientCost(run) * y(run).admissions.mean * at(s.utilization.eligibleShare, 2025)),
  },
  {
    id: 'complication-admissions',
    what: 'complication admissions per treated patient-year',
    published: 0.03,
    unit: 'per patient-year',
    source: 'a judgement, no published rate found: 0.03 (0.01–0.06) from stroke 12.8 per 1,000 person-years (Han TS et al., BMJ Open 2017) and other complications',
    model: (_s, run) => y(run).admissions.mean / y(run).patients.mean,
  },
  {
    id: 'hospital-visit-cost',
    what: 'cost of a hospital outpatient visit',
    published: 361.6,
    unit: 'yuan',
    source: 'NHC 2023 statistical bulletin (361.0 in 2024)',
    model: (_s, run) => y(run).byTier.hospital.costPerVisit.mean,
    differs: 'the model prices chronic follow-up and refill visits; the national mean covers every hospital outpatient visit, acute care, tests and imaging included',
  },
  {
    id: 'hospital-drug-share',
    what: 'drug share of hospital outpatient cost',
    published: 0.368,
    unit: 'share',
    source: 'NHC 2024 statistical bulletin (36.9% in 2023)',
    model: (_s, run) => y(run).byTier.hospital.drugCostPerVisit.mean / y(run).byTier.hospital.costPerVisit.mean,
    differs: 'chronic-disease visits are mostly refills, far more drug-heavy than hospital outpatient care at large',
  },
  {
    id: 'township-visit-cost',
    what: 'cost of a township health centre outpatient visit',
    published: 84.7,
    unit: 'yuan',
    source: 'NHC 2020 statistical bulletin (no later figure found)',
    model: (_s, run) => y(run).byTier.township.costPerVisit.mean,
    differs: 'the 2020 figure predates volume-based procurement rounds 4–10 and covers all visits; chronic refills at primary level carry procurement-priced drugs',
  },
  {
    id: 'reserve-months',
    what: 'reserve months of the resident fund',
    published: 8.5,
    unit: 'months',
    source: 'NHSA, on the 2023 statistical bulletin (≈ 9.3 in 2024, derived)',
    model: (s, run) => reserveMonthsAtStart(s, run),
  },
  {
    id: 'income-per-enrollee',
    what: 'resident fund income per enrollee',
    published: 1098,
    unit: 'yuan',
    source: 'derived: 10,569.71亿 income ÷ 96,294万 enrollees (NHSA 2023 statistical bulletin)',
    model: (s) => perCapitaFinancing(s, 2023).total,
  },
  {
    id: 'mean-age',
    what: 'mean age of registered diabetes / hypertension patients',
    published: 62.8,
    unit: 'years',
    source: 'registered type 2 diabetes in the basic public health service, Jiangsu 2013–14 (62.8 ± 9.9); a Chengdu hypertension programme gives 70 ± 10',
    model: (_s, run) => y(run).cohort.meanAge.mean,
  },
];

/** Mean cost of an admission in 2025. */
function inpatientCost(run: Summary): number {
  return y(run).inpatientCost.mean / y(run).admissions.mean;
}

/** The default's opening balance in months of its own 2025 outlay (at the default's full size). */
function reserveMonthsAtStart(s: ScenarioFile, run: Summary): number {
  const scale = RUN_RESIDENTS.full / RUN_RESIDENTS.run;
  return at(s.financing.openingBalance, 2025) / ((y(run).fundOutlay.mean * scale) / 12);
}

/** The residents of the test's run and of the default region (outlays scale with them). */
export const RUN_RESIDENTS = { run: 400_000, full: 3_760_000 };
