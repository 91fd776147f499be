/** Point-based payment's part of the scenario format (payment/spec-part.ts). */
import { z } from 'zod';
import { compileFormula } from '../../params/formula.ts';
import type { RuleIssue } from '../../params/dated-checks.ts';
import { behaviourNote, dated, nonNeg, num, rate, share, slug, tierMap, yuan } from '../../params/schema-parts.ts';
import type { PaymentSpecPart } from '../spec-part.ts';

/** Variables of the physician capability formula (payment/points/pay.ts evaluates it per facility). */
export const CAPABILITY_VARIABLES = ['tier', 'signedShare', 'visitsPerPatient', 'patients'];

export const PointsModel = z.strictObject({
  name: slug,
  type: z.literal('points'),
  description: z.string().optional(),
  covers: z.enum(['outpatient', 'outpatientAndInpatient'], { error: 'covers is "outpatient" or "outpatientAndInpatient"' }).default('outpatientAndInpatient'),
  budget: z.strictObject({
    basis: z.enum(['history', 'fixed'], { error: 'budget.basis is "history" (last year\'s fund payments × (1 + growth)) or "fixed" (an amount)' }).default('history'),
    growthRate: dated(rate, 'share/year', 'growth of the global budget over last year\'s fund payments').optional(),
    amount: dated(yuan, 'yuan/year', 'the regional global budget (区域总额预算)').optional(),
  }),
  itemPoints: z.strictObject({
    pointsPerYuan: dated(num('pointsPerYuan').positive('pointsPerYuan must be > 0'), 'points/yuan', 'item points per yuan of cost at base-year prices (level-2+ hospitals, 项目分值)'),
  }),
  physicianPoints: z.strictObject({
    refillPoints: dated(nonNeg('refillPoints'), 'points/visit', 'points of a refill visit at primary level'),
    consultPoints: dated(nonNeg('consultPoints'), 'points/visit', 'points of another visit at primary level'),
    capabilityCoefficient: z.string().min(1).describe('mathjs formula for the physician service-capability coefficient of a primary facility; variables: tier (0 village, 1 township), signedShare, visitsPerPatient, patients'),
  }),
  facilityCoefficient: dated(tierMap(num('facility coefficient').positive('a facility coefficient must be > 0').max(5)), 'factor', 'facility coefficient by tier (payment = points × point value × coefficient)'),
  preSettlement: z.strictObject({
    withholdShare: dated(share, 'share', 'share of each monthly pre-settlement withheld until year-end clearing'),
  }),
  behaviour: z
    .strictObject({
      pointInflation: dated(tierMap(num('pointInflation').min(0).max(1)), 'share', 'extra points providers claim per service, by tier (upcoding)'),
    })
    .partial()
    .optional()
    .describe(behaviourNote),
});
export type PointsSpec = z.output<typeof PointsModel>;

function validate(m: PointsSpec, _s: unknown, mp: string[]): RuleIssue[] {
  const out: RuleIssue[] = [];
  if (m.budget.basis === 'fixed' && !m.budget.amount) out.push({ path: [...mp, 'budget', 'amount'], rule: 'budget.basis "fixed" needs budget.amount (yuan/year)' });
  if (m.budget.basis === 'history' && !m.budget.growthRate) out.push({ path: [...mp, 'budget', 'growthRate'], rule: 'budget.basis "history" needs budget.growthRate (share/year)' });
  try {
    // Compile, then evaluate at typical and extreme facility values, so a formula that parses
    // but cannot be evaluated (a wrong call, a comparison result) fails here, not mid-run.
    const f = compileFormula(m.physicianPoints.capabilityCoefficient, CAPABILITY_VARIABLES);
    for (const tier of [0, 1]) for (const signedShare of [0, 0.5, 1]) for (const [visitsPerPatient, patients] of [[0, 0], [12, 500]]) f.evaluate({ tier, signedShare, visitsPerPatient, patients });
  } catch (e) {
    out.push({ path: [...mp, 'physicianPoints', 'capabilityCoefficient'], rule: `capability formula: ${(e as Error).message}` });
  }
  return out;
}

export const pointsSpec: PaymentSpecPart<PointsSpec> = {
  type: 'points',
  schema: PointsModel,
  validate,
  // A budget based on history reads last year's fund payments.
  historyYears: (m) => (m.budget.basis === 'history' ? 1 : 0),
};
