/**
 * The building blocks of the scenario format (params/schema.ts) that payment models' schema parts
 * (engine/payment/<model>/spec.ts) share: value types with their rules in words, per-tier/-condition
 * maps, and the dated parameter. No import of any later stage, so a model's spec can use them.
 */
import { z } from 'zod';
import { isIsoDate } from './dated.ts';

export const TIERS = ['village', 'township', 'hospital'] as const;
export type Tier = (typeof TIERS)[number];
/** The conditions of the default region (两病). A scenario declares its own (up to {@link MAX_CONDITIONS}). */
export const CONDITIONS = ['hypertension', 'diabetes'] as const;
export type Condition = string;
/** Conditions are a bitmask per patient (one byte). */
export const MAX_CONDITIONS = 8;
/** Age bands of the insured residents (`ageStructure`); ages are uniform within a band (80+: 80–89). */
export const AGE_BANDS = ['0-17', '18-44', '45-59', '60-69', '70-79', '80+'] as const;
export const ADULT_AGE_BANDS = ['18-44', '45-64', '65+'] as const;
export const OFF_SITE = ['inProvinceReferred', 'inProvinceUnreferred', 'crossProvinceReferred', 'crossProvinceUnreferred'] as const;
export type OffSiteCategory = (typeof OFF_SITE)[number];
/** Where the signing waiver of the deductible applies (benefits/claim-rules.ts `waiverApplies`). */
export const WAIVER_SCOPES = ['signedFacility', 'anyPrimary', 'anywhere'] as const;
export type WaiverScope = (typeof WAIVER_SCOPES)[number];

export const num = (what: string) => z.number({ error: `${what} must be a number` }).refine(Number.isFinite, `${what} must be finite`);
export const share = num('a share').min(0, 'a share must be ≥ 0').max(1, 'a share must be ≤ 1 (write 0.55, not 55)');
export const yuan = num('an amount in yuan').min(0, 'an amount in yuan must be ≥ 0');
export const nonNeg = (what: string) => num(what).min(0, `${what} must be ≥ 0`);
export const rate = num('a yearly rate').min(-0.5, 'a yearly rate must be ≥ −0.5').max(0.5, 'a yearly rate must be ≤ 0.5 (write 0.03 for 3%)');
export const int = (what: string) => z.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`);
export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id uses lower-case letters, digits and hyphens');

export const tierMap = <T extends z.ZodType>(v: T) => z.strictObject({ village: v, township: v, hospital: v });
/** A value per condition; the conditions are those declared in `population.prevalence` (checked in rules.ts). */
export const conditionId = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'a condition id is a word of letters and digits, e.g. hypertension, stroke, copd');
export const conditionMap = <T extends z.ZodType>(v: T) => z.record(conditionId, v);
export const offSiteMap = <T extends z.ZodType>(v: T) =>
  z.strictObject({ inProvinceReferred: v, inProvinceUnreferred: v, crossProvinceReferred: v, crossProvinceUnreferred: v });
export const ageMap = <T extends z.ZodType>(v: T) => z.strictObject({ '0-17': v, '18-44': v, '45-59': v, '60-69': v, '70-79': v, '80+': v });
export const adultAgeMap = <T extends z.ZodType>(v: T) => z.strictObject({ '18-44': v, '45-64': v, '65+': v });
/** The age bands of the cohort's rates (deaths, leavers, incidence, age factors): docs/model.md, "Cohort". */
export const RATE_BANDS = ['18-44', '45-59', '60-69', '70-79', '80+'] as const;
export type RateBand = (typeof RATE_BANDS)[number];
export const rateBandMap = <T extends z.ZodType>(v: T) => z.strictObject({ '18-44': v, '45-59': v, '60-69': v, '70-79': v, '80+': v });

/** A lognormal distribution given by its median (in the parameter's unit) and its log-scale sd. */
export const lognormal = z.strictObject({
  median: num('a median').positive('a median must be > 0'),
  sigma: num('sigma (log-scale sd)').min(0, 'sigma must be ≥ 0').max(3, 'sigma (log-scale sd) must be ≤ 3'),
});

export const dateKey = z.string().refine(isIsoDate, 'an effective date is written YYYY-MM-DD and must be a real date');

/** The shape every dated parameter shares: its unit (as `unit` checks it), source, and one of value / values. */
function datedShape<T extends z.ZodType, U extends z.ZodType>(v: T, unit: U) {
  return z
    .strictObject({
      unit,
      source: z.string({ error: 'every parameter names its source (document and article, publication, or "assumption: …")' }).min(3, 'source is too short to name a document or an assumption'),
      value: v.optional(),
      values: z.record(dateKey, v).optional(),
      note: z.string().optional(),
    })
    .refine((p) => (p.value === undefined) !== (p.values === undefined), {
      message: 'give exactly one of `value` (in force since always) or `values` (keyed by effective date)',
    })
    .refine((p) => p.values === undefined || Object.keys(p.values).length > 0, { message: '`values` needs at least one dated value' });
}

/**
 * A dated rule parameter whose values satisfy `v`, in unit `unit`.
 * Exactly one of `value` and `values` is given.
 */
export function dated<T extends z.ZodType>(v: T, unit: string, description: string) {
  return datedShape(v, z.literal(unit, { error: `the unit of this parameter is "${unit}"` })).describe(`${description} [unit: ${unit}]`);
}

/**
 * A dated parameter that may be stated in one of several units, each a different reading of the same
 * quantity (the opening balance as a total, per enrollee, or in months of outlay): the unit chooses
 * the reading, so a value is never read in a unit it was not written in.
 */
export function datedInUnits<T extends z.ZodType>(v: T, units: Record<string, string>, description: string) {
  const names = Object.keys(units);
  const list = names.map((u) => `"${u}" (${units[u]})`).join(', ');
  return datedShape(v, z.enum(names as [string, ...string[]], { error: `the unit of this parameter is one of ${list}` })).describe(`${description} [unit: ${names.join(' | ')}]`);
}

export const behaviourNote = 'each behaviour parameter has a source, or says "assumption: …"';
