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

const fundRisk = z.strictObject({
  levels: z.array(z.number()),
  byYear: z.array(
    z.strictObject({
      year: int,
      outlay: outlayRisk,
      probabilityOverBudget: share,
      probabilityNegativeBalance: share,
      reserveMonths: z.strictObject({ mean: meanSE, readings: z.record(z.string(), z.number()) }),
    }),
  ),
  horizon: z.strictObject({ outlay: outlayRisk, probabilityOverBudgetAnyYear: share, ruin: share }),
});

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
    models: z.array(z.strictObject({ name: z.string(), type: z.string(), years: z.array(summaryYear), risk: fundRisk })),
    parameters: z.record(z.string(), description).optional().describe("uncertain parameters' draws across replications"),
    sensitivity: sensitivity.optional().describe('one-way sensitivity analysis (tornado data)'),
    monteCarloOnly: z
      .strictObject({ replications: int, models: z.array(z.strictObject({ name: z.string(), risk: fundRisk })) })
      .optional()
      .describe('with uncertain parameters: fund risk of the same scenario with them held at their values (Monte Carlo noise alone)'),
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
