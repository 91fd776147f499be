/**
 * The scenario file format, as one zod schema. `fundcast validate` checks files against it,
 * `fundcast schema` prints its JSON Schema, and `load.ts` turns a valid file into a {@link Scenario}.
 *
 * Every rule parameter is *dated*: `{unit, source, value}` (in force since always) or
 * `{unit, source, values: {YYYY-MM-DD: value, …}}` (each in force from its date until the next).
 * The unit is fixed per parameter (a file that states another unit is rejected, so a yuan amount
 * can never be read as fen or a share as a percentage); the source names the seed document and
 * article, a publication, or says "assumption: …".
 */import { z } from 'zod';
import { PaymentModelSpec } from '../payment/specs.ts';
import { adultAgeMap, ageMap, conditionMap, rateBandMap, dated, datedInUnits, int, lognormal, MAX_CONDITIONS, nonNeg, num, OFF_SITE, offSiteMap, rate, share, slug, tierMap, WAIVER_SCOPES, yuan } from './schema-parts.ts';

export { TIERS, CONDITIONS, MAX_CONDITIONS, AGE_BANDS, ADULT_AGE_BANDS, RATE_BANDS, OFF_SITE, WAIVER_SCOPES, dated, share } from './schema-parts.ts';
export type { Tier, Condition, OffSiteCategory, WaiverScope, RateBand } from './schema-parts.ts';
export { PaymentModelSpec } from '../payment/specs.ts';
export type { PaymentModelSpecT, CapitationSpec, PointsSpec, FeeForServiceSpec } from '../payment/specs.ts';

/** The readings of `financing.openingBalance`, by unit (engine/ledger/opening-balance.ts). */
export const OPENING_BALANCE_UNITS = {
  yuan: 'a total in yuan, multiplied by region.scale',
  'yuan/enrollee': 'yuan per enrollee of the first horizon year',
  months: "months of the first payment model's outlay in the first horizon year",
};

const county = z.strictObject({
  id: slug,
  name: z.string().min(1),
  residents: int('residents').positive('residents must be > 0'),
  urbanShare: share,
  /** Medical communities in the county (each: a lead hospital, its townships and villages). */
  communities: int('communities').min(1, 'a county has at least one medical community').default(1),
});

const positive = (what: string) => num(what).positive(`${what} must be > 0`);
export const DistributionSchema = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('normal'), mean: num('mean'), sd: nonNeg('sd') }),
      z.strictObject({ type: z.literal('lognormal'), median: positive('median'), sigma: nonNeg('sigma') }),
      z.strictObject({ type: z.literal('beta'), alpha: positive('alpha'), beta: positive('beta') }),
      z.strictObject({ type: z.literal('gamma'), shape: positive('shape'), scale: positive('scale') }),
      z.strictObject({ type: z.literal('uniform'), min: num('min'), max: num('max') }).refine((d) => d.min <= d.max, 'uniform needs min ≤ max'),
      z
        .strictObject({ type: z.literal('triangular'), min: num('min'), mode: num('mode'), max: num('max') })
        .refine((d) => d.min <= d.mode && d.mode <= d.max && d.min < d.max, 'triangular needs min ≤ mode ≤ max and min < max'),
    ],
    { error: 'distribution type must be one of: normal, lognormal, beta, gamma, uniform, triangular' },
  )
  .describe('a probability distribution');

export const UncertainParameter = z.strictObject({
  parameter: z
    .string()
    .min(1)
    .describe('path of a dated parameter, or of a number inside its value: e.g. utilization.costTrend, benefits.ratio.village, paymentModels.capitation.trendFactor'),
  apply: z.enum(['value', 'factor'], { error: 'apply is "value" (the draw replaces the value at every date) or "factor" (it multiplies each dated value)' }).default('value'),
  distribution: DistributionSchema,
  source: z.string({ error: 'every uncertain parameter names the source of its distribution' }).min(3),
});

export const SensitivityParameter = z.strictObject({
  parameter: z.string().min(1).describe('path of a dated parameter or a number inside its value (as in uncertainty)'),
  low: num('low'),
  high: num('high'),
  apply: z.enum(['value', 'factor']).default('value'),
  source: z.string().min(3).optional(),
});

export const ScenarioSchema = z
  .strictObject({
    fundcast: z.literal(1, { error: 'fundcast: 1 (the scenario format version) is required' }),
    name: slug.describe('scenario id; results go to out/<name>/'),
    title: z.string().optional(),
    description: z.string().optional(),
    extends: z.string().optional().describe('a scenario to start from: an embedded name (e.g. wuhu-default) or a path relative to this file'),
    seed: int('seed').min(0, 'seed must be ≥ 0').max(Number.MAX_SAFE_INTEGER),
    replications: int('replications').min(1, 'replications must be ≥ 1').max(1_000_000),
    horizon: z.strictObject({
      startYear: int('startYear').min(2000, 'startYear must be ≥ 2000').max(2100, 'startYear must be ≤ 2100'),
      years: int('years').min(1, 'years must be ≥ 1').max(30, 'years must be ≤ 30'),
    }),
    region: z.strictObject({
      name: z.string().min(1),
      insuredShare: dated(share, 'share', 'share of residents enrolled in resident basic medical insurance'),
      counties: z.array(county).min(1, 'a region has at least one county'),
      residentsPerTownship: int('residentsPerTownship').min(1000, 'residentsPerTownship must be ≥ 1000'),
      villagesPerTownship: int('villagesPerTownship').min(1, 'villagesPerTownship must be ≥ 1').max(100),
      cityHospitals: int('cityHospitals').min(0).max(200).describe('level-2+ hospitals outside the medical communities'),
      cityHospitalShare: dated(share, 'share', 'share of hospital-tier visits that go to city hospitals rather than the community lead hospital'),
      dualChannelPharmacies: z.boolean().default(false).describe('one dual-channel (双通道) designated pharmacy per county'),
      scale: num('scale')
        .positive('scale must be > 0')
        .max(100, 'scale must be ≤ 100')
        .optional()
        .describe(
          "multiplies the region's people and money together (default 1): every county's residents and the residents per township centre (the same facilities serve proportionally more or fewer people), and the amounts that are totals for the region or a community: financing.openingBalance in yuan, a points model's fixed budget.amount and capitation's overspend.leadCap",
        ),
    }),
    population: z.strictObject({
      ageStructure: dated(ageMap(share), 'share', 'age structure of insured residents (ages uniform within a band; 80+ is 80–89)'),
      maleShare: dated(share, 'share', 'share of men'),
      prevalence: conditionMap(dated(adultAgeMap(share), 'share', 'age-specific prevalence among adults'))
        .refine((m) => Object.keys(m).length >= 1 && Object.keys(m).length <= 8, 'declare 1 to 8 conditions (their ids are the keys of population.prevalence)')
        .describe('the conditions simulated (ids as keys: e.g. hypertension, diabetes, stroke) and their prevalence'),
      treatedShare: conditionMap(dated(share, 'share', 'share of prevalent cases treated and registered for the chronic benefit')),
      signedShare: dated(share, 'share', 'share of chronic patients with a family-doctor contract'),
      signedShareByCondition: dated(conditionMap(share), 'share', 'signing share by condition; a patient signs with the highest share among their conditions (Quanzhou: 两病 100%, others ≥ 90%)').optional(),
      enrollmentTrend: dated(rate, 'share/year', 'yearly change in the number of insured residents'),
      // The cohort (F8, docs/model.md): ageing, deaths, leavers, new diagnoses, persistence, co-occurrence.
      mortality: dated(z.strictObject({ male: rateBandMap(share), female: rateBandMap(share) }), 'share/year', 'yearly probability of death from any cause in the general population, by sex and age band'),
      excessMortality: dated(conditionMap(rateBandMap(num('hazard ratio').min(0.1, 'a hazard ratio must be ≥ 0.1').max(20, 'a hazard ratio must be ≤ 20'))), 'hazard ratio', "hazard ratio of death of a condition's patients against the general population, by age band (a patient with several conditions: the product)"),
      leaverRate: dated(rateBandMap(share), 'share/year', 'yearly probability that a patient leaves resident insurance other than by death (moving away, joining employee insurance)'),
      incidence: dated(conditionMap(rateBandMap(share)), 'share/year', 'new registered patients (diagnosed and treated) per person-year among insured adults without the condition, by age band'),
      incidenceMaleFactor: dated(conditionMap(num('factor').positive('a factor must be > 0').max(5)), 'factor', "men's incidence relative to women's, by condition (default 1)").optional(),
      comorbidity: dated(z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*\+[a-zA-Z][a-zA-Z0-9]*$/, 'a pair of conditions is written first+second, e.g. hypertension+diabetes'), num('odds ratio').positive('an odds ratio must be > 0').max(50)), 'odds ratio', 'odds ratio of having the second condition of a pair given the first, within an age band (conditions otherwise independent given age)').optional(),
      costPersistence: dated(num('correlation').min(0, 'a correlation must be ≥ 0').max(0.99, 'a correlation must be ≤ 0.99'), 'correlation', "year-to-year correlation of a patient's log drug-cost level (AR(1); 0 = drawn afresh each year)"),
      yearsSinceDiagnosis: dated(z.strictObject({ mean: num('mean').positive('a mean must be > 0').max(40) }), 'years', 'years since diagnosis of the patients registered at the horizon\'s start: exponential with this mean, at most their age − 18'),
      ageFactors: dated(
        z.strictObject({ consultVisits: rateBandMap(num('factor').positive('a factor must be > 0').max(10)), admissions: rateBandMap(num('factor').positive('a factor must be > 0').max(10)), drugCost: rateBandMap(num('factor').positive('a factor must be > 0').max(10)) }),
        'factor',
        'multipliers by age band of other visits, complication admissions and drug cost (45–59 = 1 in the defaults)',
      ),
      complicationDurationFactor: dated(num('factor').positive('a factor must be > 0').max(5), 'factor per 5 years', 'complication admissions grow by this factor for every five years since diagnosis (0–4, 5–9, 10–14, 15+ years)'),
    }),
    utilization: z.strictObject({
      costBaseYear: int('costBaseYear').min(2000).max(2100).describe('the year in which cost medians are stated'),
      prescriptionDays: dated(tierMap(int('prescription days').min(1, 'prescription days must be ≥ 1').max(90, 'prescription days must be ≤ 90')), 'days', 'drug days supplied per refill visit'),
      refillAdherence: dated(share, 'share', 'share of needed drug days actually refilled'),
      consultVisitsPerMonth: dated(conditionMap(nonNeg('visits per month').max(30, 'visits per month must be ≤ 30 (one a day)')), 'visits/month', 'visits besides refills (checks, tests, adjustments)'),
      tierPreference: dated(z.strictObject({ rural: tierMap(share), urban: tierMap(share) }), 'share', 'where visits go, by residence'),
      signedPrimaryShift: dated(share, 'share', 'share of hospital-tier visits a signed patient makes at primary care instead'),
      dailyDrugCost: dated(conditionMap(lognormal), 'yuan/day', "a patient's daily drug cost for the year (lognormal across patients)"),
      serviceCostPerVisit: dated(tierMap(lognormal), 'yuan', 'service cost of one visit (lognormal)'),
      eligibleShare: dated(share, 'share', 'policy-eligible share of outpatient cost (in the catalogue)'),
      hospitalizationRate: dated(conditionMap(nonNeg('admissions per year').max(52, 'admissions per year must be ≤ 52 (one a week)')), 'admissions/year', 'complication admissions per patient-year'),
      hospitalizationCost: dated(lognormal, 'yuan', 'cost of one admission'),
      costTrend: dated(rate, 'share/year', 'yearly growth of unit costs after the base year (every cost category without a trend of its own)'),
      drugCostTrend: dated(rate, 'share/year', 'yearly growth of daily drug cost after the base year, besides volume-based procurement steps (vbp); default: costTrend').optional(),
      serviceCostTrend: dated(rate, 'share/year', 'yearly growth of the service cost of an outpatient visit after the base year; default: costTrend').optional(),
      inpatientCostTrend: dated(rate, 'share/year', 'yearly growth of the cost of an admission after the base year; default: costTrend').optional(),
      offSiteShare: dated(offSiteMap(share), 'share', 'share of hospital-tier visits made off-site, by category'),
      longPrescriptionDays: int('longPrescriptionDays').min(1).max(90).default(30).describe('a refill supplying more days than this is a long prescription (长处方) for the per-visit cost indicators'),
      packDays: int('packDays').min(1).max(30).optional().describe('drugs come in packs of this many days (Beijing: 7): prescriptionDays must be multiples'),
      vbp: dated(
        z.strictObject({ share: share, priceCut: share }),
        'share',
        'volume-based procurement: share of drug spending on VBP drugs and their price cut (drug cost × (1 − share × priceCut))',
      ).optional(),
      pharmacyRefillShare: dated(share, 'share', 'share of hospital-tier refills filled at the county\'s dual-channel pharmacy (双通道), settled like a designated facility').optional(),
      shortageOffSite: dated(
        z.strictObject({ share: share, category: z.enum(OFF_SITE) }),
        'share',
        'drug shortage: share of refills bought outside the county, settled off-site in the given category',
      ).optional(),
      ratioResponse: dated(
        z.strictObject({
          elasticity: num('elasticity').min(0, 'elasticity must be ≥ 0').max(5),
          referenceDifferential: num('referenceDifferential').min(-1).max(1),
        }),
        'share per share',
        'patients shift hospital-tier visits to primary care when the ratio differential (township ratio − hospital ratio) exceeds the reference: shifted share = elasticity × (differential − reference)',
      ).optional(),
    }),
    benefits: z.strictObject({
      deductible: dated(yuan, 'yuan/year', 'outpatient chronic-disease deductible (起付线)'),
      ratio: dated(tierMap(share), 'share', 'reimbursement ratio by tier (支付比例)'),
      annualCap: dated(yuan, 'yuan/year', 'annual maximum fund payment for outpatient chronic care (年度最高支付限额)'),
      individualPrepayment: dated(tierMap(share), 'share', 'individual pre-payment share (个人先行负担) taken off eligible cost'),
      offSiteReduction: dated(offSiteMap(share), 'share', 'reduction of the ratio off-site (0.05 = 5 percentage points)'),
      signingWaivesDeductible: dated(z.boolean(), 'flag', 'signed patients pay no deductible where the waiver applies (benefits.signingWaiver.scope; default: at their signed primary facility)'),
      signingWaiver: z
        .strictObject({
          scope: dated(
            z.enum(WAIVER_SCOPES, { error: `the waiver's scope is one of: ${WAIVER_SCOPES.join(', ')}` }),
            'scope',
            'where the signing waiver applies: signedFacility (treated on site at the signed primary facility, seeds/003), anyPrimary (at any primary facility on site), anywhere (every claim of a signed patient)',
          ),
        })
        .optional()
        .describe('the family-doctor signing waiver of the deductible; without it the scope is signedFacility'),
      cityHospitalRatio: dated(share, 'share', 'ratio at city (level-3) hospitals when it differs from the hospital tier\'s (0 = not covered, e.g. Fushun: level-2 and below only)').optional(),
      eligibleDrugsOnly: dated(z.boolean(), 'flag', 'only drug cost is eligible (a drug benefit such as the 两病 outpatient drug benefit); services are the patient\'s').optional(),
      drugAboveStandardShare: dated(share, 'share', 'share of drug spending above the payment standard by generic name (paid by the patient, not eligible)').optional(),
      undesignatedReduction: dated(conditionMap(share), 'share', 'ratio reduction for a condition\'s patients treated outside their designated facility (Wuhu: hemophilia −5 pp)').optional(),
      reReviewAfterMonths: dated(int('reReviewAfterMonths').min(1).max(120), 'months', 'patients with no claim for this many consecutive months leave the benefit for re-review (复审)').optional(),
      indexing: z
        .strictObject({
          deductible: dated(rate, 'share/year', 'yearly growth of the outpatient deductible after its last dated value'),
          annualCap: dated(rate, 'share/year', 'yearly growth of the outpatient annual cap after its last dated value'),
        })
        .partial()
        .optional()
        .describe('indexing of benefit amounts after their last dated value (an undated amount from utilization.costBaseYear); none: held at their nominal values'),
      inpatient: z.strictObject({
        deductible: dated(yuan, 'yuan/admission', 'inpatient deductible per admission'),
        ratio: dated(share, 'share', 'inpatient reimbursement ratio'),
        annualCap: dated(yuan, 'yuan/year', 'annual maximum fund payment for inpatient care'),
      }),
    }),
    financing: z.strictObject({
      perCapita: dated(z.strictObject({ subsidy: yuan, individual: yuan }), 'yuan/person/year', 'resident insurance financing per person (government subsidy, individual contribution)'),
      perCapitaGrowth: dated(rate, 'share/year', 'yearly growth of per-capita financing (subsidy + individual) after the last dated standard (F7); without it financing is held at the last standard').optional(),
      chronicBudgetShare: dated(share, 'share', "share of the resident fund's income budgeted for chronic-disease care of these patients"),
      openingBalance: datedInUnits(nonNeg('openingBalance'), OPENING_BALANCE_UNITS, 'balance of the chronic-care budget at the start of the horizon'),
    }),
    ledger: z
      .strictObject({
        reserveMonths: z
          .strictObject({
            severe: nonNeg('severe'),
            low: nonNeg('low'),
            normal: nonNeg('normal'),
            excessive: nonNeg('excessive'),
          })
          .describe('reserve-month thresholds: < severe = severe shortage, < low = low, ≤ normal… > excessive = excessive'),
      })
      .default({ reserveMonths: { severe: 3, low: 6, normal: 9, excessive: 15 } }),
    paymentModels: z.array(PaymentModelSpec).min(1, 'list at least one payment model'),
    uncertainty: z.array(UncertainParameter).default([]).describe('parameters drawn once per replication from a distribution, each on its own random stream (probabilistic sensitivity analysis)'),
    risk: z
      .strictObject({
        levels: z.array(num('level').gt(0.5, 'a risk level is a probability above 0.5, e.g. 0.95').lt(1, 'a risk level is below 1')).min(1).default([0.95, 0.99, 0.995]),
        minTailReplications: int('minTailReplications').min(1).default(10).describe('fewer replications than this beyond a level → the VaR/TVaR at that level is reported as not reliable'),
        monteCarloOnlyReplications: int('monteCarloOnlyReplications').min(2).max(100_000).default(8).describe('with uncertain parameters: replications of the run with them held at their values, whose risk is reported beside (Monte Carlo noise alone)'),
      })
      .default({ levels: [0.95, 0.99, 0.995], minTailReplications: 10, monteCarloOnlyReplications: 8 }),
    sensitivity: z
      .strictObject({
        output: z.enum(['fundOutlay', 'closingBalance', 'patientOutOfPocket', 'reserveMonths'], { error: 'sensitivity output is one of fundOutlay, closingBalance, patientOutOfPocket, reserveMonths' }).default('fundOutlay'),
        year: z.union([int('year'), z.literal('horizon')]).default('horizon').describe('a horizon year, or "horizon": the total over the horizon (the last year for balances)'),
        model: slug.optional().describe('payment model (default: the first)'),
        replications: int('replications').min(1).max(100_000).default(8).describe('replications of each low/high run (common random numbers keep the differences precise with few)'),
        parameters: z.array(SensitivityParameter).min(1),
      })
      .optional()
      .describe('one-way sensitivity analysis: each parameter at its low and high value, same seed (common random numbers)'),
  })
  .describe('A fundcast scenario');

export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type ScenarioFile = z.output<typeof ScenarioSchema>;
export type UncertainParameterT = z.output<typeof UncertainParameter>;
export type SensitivityParameterT = z.output<typeof SensitivityParameter>;
