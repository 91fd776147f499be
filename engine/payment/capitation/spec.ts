/**
 * Capitation's part of the scenario format (payment/spec-part.ts). The policy floors of the surplus
 * split and of the public-health matching share are dated parameters of the model (Wuhu's: village
 * clinics ≥ 40%, township centres ≥ 30%, matching ≥ 10% of basic public-health funds, 芜医保〔2025〕17号
 * 二(四)9); validation enforces whatever floors the scenario states, at every date either side changes.
 */
import { z } from 'zod';
import { changeDates, EPS, fromDate, round6, valueOnDate, valuePath, type RuleIssue } from '../../params/dated-checks.ts';
import { asDated, type DatedInput } from '../../params/param.ts';
import type { ScenarioFile } from '../../params/schema.ts';
import { behaviourNote, dated, int, num, share, slug, yuan } from '../../params/schema-parts.ts';
import type { PaymentSpecPart } from '../spec-part.ts';

const retentionRule = z.strictObject({
  retentionRate: dated(share, 'share', 'share of the surplus the community keeps (结余留用)'),
  villageShare: dated(share, 'share', 'village clinics\' share of the retained surplus (Wuhu: ≥ 40%)'),
  townshipShare: dated(share, 'share', 'township centres\' share of the retained surplus (Wuhu: ≥ 30%); the lead hospital gets the rest'),
  floors: z
    .strictObject({
      villageShare: dated(share, 'share', 'the least share of the retained surplus the policy gives village clinics (Wuhu: 40%)'),
      townshipShare: dated(share, 'share', 'the least share of the retained surplus the policy gives township centres (Wuhu: 30%)'),
    })
    .partial()
    .optional()
    .describe('policy floors of the surplus split; validation rejects shares below them'),
});

export const CapitationModel = z.strictObject({
  name: slug,
  type: z.literal('capitation'),
  description: z.string().optional(),
  pilotCounties: z.array(slug).min(1).optional().describe('counties whose medical communities are paid by head; default: every county (others stay fee-for-service)'),
  startYear: int('startYear').min(2000).max(2100).optional().describe('the year capitation starts; before it the model pays fee-for-service (default: the horizon\'s first year)'),
  historyYears: int('historyYears').min(1, 'historyYears must be ≥ 1').max(5, 'historyYears must be ≤ 5').default(3),
  rebase: z.enum(['rolling', 'fixed'], { error: 'rebase is "rolling" (each year from the years just before it) or "fixed" (from the years before the pilot starts)' }).default('rolling'),
  covers: z.enum(['outpatient', 'outpatientAndInpatient'], { error: 'covers is "outpatient" or "outpatientAndInpatient"' }).default('outpatientAndInpatient'),
  budget: z
    .strictObject({
      trend: z.enum(['costIndex', 'none'], { error: 'budget.trend is "costIndex" (each base year trended to the budget year by the scenario\'s cost trends) or "none"' }).default('costIndex'),
      benefitChange: z.enum(['restate', 'none'], { error: 'budget.benefitChange is "restate" (base years re-adjudicated under the budget year\'s rules) or "none"' }).default('restate'),
    })
    .default({ trend: 'costIndex', benefitChange: 'restate' })
    .describe('how the per-capita amount is built from the base years (F3, docs/payment-models.md): trended to the budget year, and adjusted for benefit rules changed since'),
  trendFactor: dated(num('trendFactor').positive('trendFactor must be > 0').max(3), 'factor', 'multiplies the per-capita amount after trend and benefit adjustment (a negotiated factor; 1 = none)'),
  retention: retentionRule,
  overspend: z.strictObject({
    leadShare: dated(share, 'share', 'share of an overspend the lead hospital bears (超支分担); the fund bears the rest'),
    leadCap: dated(yuan, 'yuan/year', 'cap on the lead hospital\'s overspend share per community').optional(),
  }),
  publicHealth: z.strictObject({
    fundsPerResident: dated(yuan, 'yuan/person/year', 'basic public-health funds per resident (基本公卫经费)'),
    matchingShare: dated(share, 'share', 'share of basic public-health funds set aside as matching funds (Wuhu: ≥ 10%)'),
    matchingFloor: dated(share, 'share', 'the least matching share the policy sets (Wuhu: 10%); validation rejects a matching share below it').optional(),
    assessmentScore: dated(share, 'share', 'joint assessment score scaling the matching funds paid (奖优罚劣)'),
  }),
  withinTierKey: z.enum(['enrolled', 'signed', 'workload'], { error: 'withinTierKey is "enrolled" (heads), "signed" (signed heads) or "workload" (visits)' }).default('enrolled'),
  behaviour: z
    .strictObject({
      underService: dated(num('underService').min(0).max(0.9), 'share', 'reduction of the pilot communities\' patients\' non-refill visits (at any tier)'),
      referralOut: dated(num('referralOut').min(0).max(0.9), 'share', 'share of pilot patients\' primary-care visits referred out to hospitals'),
      managementSavings: dated(num('managementSavings').min(0).max(0.9), 'share', 'reduction of the pilot patients\' complication admissions that health management under capitation achieves'),
    })
    .partial()
    .optional()
    .describe(behaviourNote),
});
export type CapitationSpec = z.output<typeof CapitationModel>;

/** Values of `p` below its floor `floor`, at every date either changes. */
function belowFloor(p: DatedInput<number>, floor: DatedInput<number> | undefined, path: string[], what: string): RuleIssue[] {
  if (!floor) return [];
  const src = asDated(floor).source;
  return changeDates(p, floor).flatMap((d) => {
    const v = valueOnDate(p, d);
    const f = valueOnDate(floor, d);
    if (v >= f - EPS) return [];
    const own = asDated(p).values.find((x) => x.from === d);
    return [{ path: [...path, ...valuePath(p, own ? d : asDated(p).values[0].from)], rule: `${what} at least ${round6(f * 100)}%${fromDate(d)} (floor: ${src}), got ${v}` }];
  });
}

function validate(m: CapitationSpec, s: ScenarioFile, mp: string[]): RuleIssue[] {
  const out: RuleIssue[] = [];
  const end = s.horizon.startYear + s.horizon.years - 1;
  if (m.startYear !== undefined && (m.startYear < s.horizon.startYear || m.startYear > end)) {
    out.push({ path: [...mp, 'startYear'], rule: `startYear ${m.startYear} is outside the horizon ${s.horizon.startYear}–${end}` });
  }
  const ids = new Set(s.region.counties.map((c) => c.id));
  (m.pilotCounties ?? []).forEach((id, k) => {
    if (!ids.has(id)) out.push({ path: [...mp, 'pilotCounties', String(k)], rule: `no county with id "${id}" (counties: ${[...ids].join(', ')})` });
  });
  const r = m.retention;
  out.push(...belowFloor(r.villageShare, r.floors?.villageShare, [...mp, 'retention', 'villageShare'], 'village clinics get'));
  out.push(...belowFloor(r.townshipShare, r.floors?.townshipShare, [...mp, 'retention', 'townshipShare'], 'township centres get'));
  // village + township ≤ 1 at every date either changes (reported once per date)
  for (const d of changeDates(r.villageShare, r.townshipShare)) {
    const sum = valueOnDate(r.villageShare, d) + valueOnDate(r.townshipShare, d);
    if (sum > 1 + EPS) out.push({ path: [...mp, 'retention'], rule: `villageShare + townshipShare must be ≤ 1 (the lead hospital gets the rest), they are ${round6(sum)}${fromDate(d)}` });
  }
  out.push(...belowFloor(m.publicHealth.matchingShare, m.publicHealth.matchingFloor, [...mp, 'publicHealth', 'matchingShare'], 'matching funds are'));
  return out;
}

export const capitationSpec: PaymentSpecPart<CapitationSpec> = {
  type: 'capitation',
  schema: CapitationModel,
  validate,
  // The per-capita amount reads the `historyYears` before the pilot's first year.
  historyYears: (m, s) => m.historyYears - ((m.startYear ?? s.horizon.startYear) - s.horizon.startYear),
};
