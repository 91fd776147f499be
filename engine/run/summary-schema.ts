/**
 * The schema of summary.json — what notebooks, reports and users' scripts read. Every summary fundcast
 * writes (run, replay, merge) is checked against it before it is written (`checkSummary`), and
 * `fundcast schema summary` prints it as JSON Schema. `schemaVersion` rises whenever a field is removed
 * or changes meaning; adding a field keeps it. docs/reports.md ("summary.json") describes the fields.
 *
 * JSON has no NaN or ±Infinity: a statistic that has none (an interval from one replication, reserve
 * months in a year without outlay) is written as null.
 */
import { z } from 'zod';

export const SUMMARY_SCHEMA_VERSION = 1;

/** A number, or null where the statistic does not exist (NaN, ±Infinity in the engine). */
const num = z.number().nullable();
const int = z.number().int();

const description = z
  .strictObject({ n: int, mean: num, sd: num, p5: num, p25: num, p50: num, p75: num, p95: num, min: num, max: num })
  .describe('distribution across replications: mean, sample sd, percentiles (type 7), min, max');
const paired = z.strictObject({ n: int, mean: num, sd: num, low95: num, high95: num }).describe('paired difference (this model − the first), mean and 95% t-interval');
const share = z.strictObject({ value: num, se: num, low95: num, high95: num, count: int, n: int }).describe('a probability estimated as a share of replications, with its binomial SE and Wilson 95% interval');
const riskEstimate = z.strictObject({ level: z.number(), value: num, se: num, low95: num, high95: num, tailCount: int, reliable: z.boolean(), note: z.string().optional() });
const meanSE = z.strictObject({ value: num, se: num });
const outlayRisk = z.strictObject({ mean: meanSE, var: z.record(z.string(), riskEstimate), tvar: z.record(z.string(), riskEstimate) });

const cvEstimate = z
  .strictObject({
    value: num,
    se: num,
    low95: num,
    high95: num,
    plain: z.strictObject({ value: num, se: num }),
    varianceRatio: num,
    rSquared: num,
    n: int,
    controls: z.array(z.string()),
    holds: z.boolean(),
    reason: z.string().optional(),
  })
  .describe('a mean with the parameter draws as control variates (regression estimator: intercept, its SE and t 95% interval), beside the plain mean; holds false (with the reason): the plain mean is the answer');

const TIER_GROUPS = ['village', 'township', 'hospital', 'offSite'] as const;
const tierYear = z.strictObject({
  fundPayment: description,
  otherFunding: description,
  patientOutOfPocket: description,
  totalCost: description,
  revenue: description,
  margin: description,
  visits: description,
  costPerVisit: description,
  costPerVisitExcludingLongRx: description,
  drugCostPerVisit: description,
  drugCostPerVisitExcludingLongRx: description,
});
const byTier = <T extends z.ZodType>(v: T) => z.strictObject({ village: v, township: v, hospital: v, offSite: v });

const summaryYear = z.strictObject({
  year: int,
  fundOutlay: description,
  patientOutOfPocket: description,
  totalCost: description,
  outpatientFund: description,
  inpatientFund: description,
  inpatientCost: description,
  visits: description,
  admissions: description,
  patients: description,
  patientsReachingCap: description,
  cohort: z.strictObject({ patients: description, newPatients: description, deaths: description, leavers: description, meanAge: description }).describe('the cohort: patient-years, new registrations, deaths, other leavers, mean age (docs/model.md, "Cohort")'),
  byTier: byTier(tierYear),
  settlement: z.record(z.string(), description).describe("the payment model's settlement figures (payment/<model>: figureLabels); amounts in yuan"),
  differenceFromFirst: z
    .strictObject({ against: z.string(), fundOutlay: paired, patientOutOfPocket: paired, byTier: byTier(z.strictObject({ fundPayment: paired, revenue: paired })) })
    .optional(),
  ledger: z.strictObject({
    enrollees: z.number(),
    income: description,
    budget: description,
    closingBalance: description,
    reserveMonths: description,
    probabilityNegativeBalance: z.number(),
  }),
});

/** A year, or null: "not within the horizon" (after it). */
const yearOrNull = int.nullable();
const runOut = z
  .strictObject({
    firstYear: yearOrNull.describe('first year in which P(balance < 0) ≥ threshold; null: not within the horizon'),
    threshold: z.number(),
    probabilityByYear: z.array(z.strictObject({ year: int, probability: share })),
    medianYear: yearOrNull.describe("median of the replications' run-out years; null: after the horizon"),
    medianInterval: z.strictObject({ low: yearOrNull, high: yearOrNull, level: z.literal(0.95) }).nullable().describe('order-statistic 95% CI of the median; null below 6 replications'),
    spread: z.strictObject({ p5: yearOrNull, p95: yearOrNull }).describe('P5–P95 of the run-out year across replications'),
    ranOut: int,
    n: int,
    lastYear: int,
  })
  .describe('when the fund runs out (engine/risk/run-out.ts, docs/risk.md)');

const levelValues = z.record(z.string(), num);
const collectiveFit = z
  .strictObject({
    frequency: z.union([
      z.strictObject({ distribution: z.literal('poisson'), lambda: z.number(), mean: z.number(), variance: num }),
      z.strictObject({ distribution: z.literal('negativeBinomial'), size: z.number(), prob: z.number(), mean: z.number(), variance: z.number() }),
    ]).describe('claims (visits + admissions) per period: negative binomial by moments when overdispersed across replications, else Poisson'),
    severity: z
      .strictObject({ distribution: z.literal('gamma'), shape: z.number(), scale: z.number(), mean: z.number(), sd: z.number(), fit: z.literal('method of moments') })
      .describe("one claim's fund share (yuan), gamma by the method of moments"),
    mean: z.number(),
    sd: z.number(),
    skewness: z.number(),
    var: levelValues.describe("Panjer's recursion: VaR by level (yuan)"),
    tvar: levelValues.describe("Panjer's recursion: TVaR by level (yuan)"),
    step: num.describe("the recursion's grid step (yuan)"),
    normalPower: z.strictObject({ var: levelValues, tvar: levelValues }),
    microsimulation: z.strictObject({ var: levelValues, tvar: levelValues }).describe("the same quantity (the claims' fund share) across the replications"),
    note: z.string().optional(),
  })
  .nullable();
const collective = z
  .strictObject({ byYear: z.array(z.strictObject({ year: int, fit: collectiveFit })), horizon: collectiveFit })
  .describe("the collective risk model fitted to the simulated claims, its VaR/TVaR beside the microsimulation's (engine/risk/collective-risk.ts, docs/risk.md)");

const fundRisk = z.strictObject({
  levels: z.array(z.number()),
  minTailReplications: int.describe('replications needed beyond a level for its VaR/TVaR to be reliable'),
  byYear: z.array(
    z.strictObject({
      year: int,
      outlay: outlayRisk,
      probabilityOverBudget: share,
      probabilityNegativeBalance: share,
      probabilityNegativeBalanceNormal: z
        .strictObject({ value: num, se: num, low95: num, high95: num, z: num, n: int, jarqueBera: num, holds: z.boolean(), reason: z.string().optional() })
        .optional()
        .describe('with the parameters fixed: P(balance < 0) = Φ(−mean/sd) of the balances across replications, delta-method SE and 95% interval; holds false (with the reason) when it does not apply (engine/risk/normal-tail.ts, docs/risk.md)'),
      reserveMonths: z.strictObject({ mean: meanSE, readings: z.record(z.string(), z.number()) }),
    }),
  ),
  horizon: z.strictObject({ outlay: outlayRisk, probabilityOverBudgetAnyYear: share, ruin: share }),
  runOut,
  collective: collective.optional(),
});

const horizonTotals = z
  .strictObject({
    from: int,
    to: int,
    fundOutlay: description,
    patientOutOfPocket: description,
    differenceFromFirst: z.strictObject({ against: z.string(), fundOutlay: paired, patientOutOfPocket: paired }).optional(),
  })
  .describe("totals over the horizon's years, and their paired difference from the first model");

const sensitivity = z.strictObject({
  output: z.string(),
  year: z.union([int, z.literal('horizon')]),
  model: z.string(),
  unit: z.string(),
  replications: int,
  base: num,
  rows: z.array(
    z.strictObject({ parameter: z.string(), low: z.number(), high: z.number(), apply: z.enum(['value', 'factor']), outputLow: num, outputHigh: num, swing: num, source: z.string().optional() }),
  ),
});

export const SummarySchema = z
  .strictObject({
    schemaVersion: z.literal(SUMMARY_SCHEMA_VERSION),
    scenario: z.strictObject({ name: z.string(), title: z.string().nullable(), hash: z.string() }),
    seed: int,
    unit: z.literal('yuan'),
    replications: int,
    years: z.array(int),
    tiers: z.array(z.enum(TIER_GROUPS)),
    models: z.array(z.strictObject({ name: z.string(), type: z.string(), years: z.array(summaryYear), horizon: horizonTotals, risk: fundRisk })),
    parameters: z.record(z.string(), description).optional().describe("uncertain parameters' draws across replications"),
    sensitivity: sensitivity.optional().describe('one-way sensitivity analysis (tornado data)'),
    openingBalance: z
      .strictObject({ openingBalance: num, reserveMonths: num, reading: z.string() })
      .optional()
      .describe("the opening balance (yuan, mean) read as reserve months of the first model's first-year outlay (engine/ledger/opening-balance.ts)"),
    warnings: z
      .array(z.strictObject({ code: z.string(), path: z.string().optional(), message: z.string() }))
      .optional()
      .describe('what the reader should be told: opening-balance (outside the reserve-month band), few-replications (engine/run/run-checks.ts)'),
    monteCarloOnly: z
      .strictObject({ replications: int, models: z.array(z.strictObject({ name: z.string(), risk: fundRisk })) })
      .optional()
      .describe('with uncertain parameters: fund risk of the same scenario with them held at their values (Monte Carlo noise alone)'),
    controlVariates: z
      .strictObject({
        controls: z.array(z.strictObject({ parameter: z.string(), mean: z.number().describe("the exact mean of the parameter's distribution") })),
        models: z.array(z.strictObject({ name: z.string(), horizonOutlay: cvEstimate, ruin: cvEstimate, differenceFromFirst: cvEstimate.optional() })),
      })
      .optional()
      .describe("with uncertain parameters: each model's horizon outlay (yuan), P(ruin) and paired difference from the first model estimated with the parameter draws as control variates (engine/risk/control-variates.ts, docs/risk.md)"),
    precision: z
      .strictObject({
        target: z.strictObject({ outlay: z.number().optional(), difference: z.number().optional(), ruin: z.number().optional() }).describe('outlay and difference: relative (0.005 = ±0.5%); ruin: absolute probability (0.02 = ±2 percentage points)'),
        replications: int,
        maxReplications: int,
        met: z.boolean(),
        checkedAt: z.array(int).describe('replication counts at which the targets were checked (the batch ends)'),
        metrics: z.array(
          z.strictObject({
            metric: z.enum(['outlay', 'difference', 'ruin']),
            model: z.string(),
            estimate: num,
            halfWidth: num.describe('achieved 95% half-width: yuan (outlay, difference), probability (ruin); null with fewer than 2 replications'),
            achieved: num.describe('the half-width as the target states it: share of the mean outlay (outlay), of the first model\'s mean outlay (difference), probability (ruin)'),
            target: z.number(),
            met: z.boolean(),
            method: z.enum(['plain', 'control variates']).describe('control variates: estimated with the parameter draws as controls (summary.controlVariates)'),
          }),
        ),
      })
      .optional()
      .describe('with --precision: per targeted metric the achieved 95% half-width and whether the target was met (engine/risk/precision.ts, docs/risk.md)'),
  })
  .describe('fundcast summary.json: per payment model × year, distributions across replications; amounts in yuan');

export type SummaryFile = z.infer<typeof SummarySchema>;

/**
 * Check a summary as it will be written (after JSON's NaN/Infinity → null): a mismatch is a bug in
 * fundcast (the engine and its schema disagree), thrown as an internal error with the first paths that differ.
 */
export function checkSummary(summary: unknown): void {
  const r = SummarySchema.safeParse(JSON.parse(JSON.stringify(summary)));
  if (r.success) return;
  const where = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
  throw new Error(`summary.json does not match its schema (the engine and engine/run/summary-schema.ts disagree): ${where}`);
}

/** The JSON Schema of summary.json (`fundcast schema summary`). */
export function summaryJsonSchema(): unknown {
  return { $id: 'https://fundcast.invalid/summary.schema.json', title: 'fundcast summary.json', ...(z.toJSONSchema(SummarySchema, { io: 'input', reused: 'ref' }) as object) };
}
