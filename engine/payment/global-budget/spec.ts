/**
 * The global-budget model's part of the scenario format (payment/spec-part.ts): 总额预算管理 with
 * quality evaluation tied to year-end clearing (京医保发〔2024〕3号 第13条, seeds/000), docs/payment-models.md.
 */
import { z } from 'zod';
import { compileFormula } from '../../params/formula.ts';
import type { RuleIssue } from '../../params/dated-checks.ts';
import { dated, rate, share, slug } from '../../params/schema-parts.ts';
import type { PaymentSpecPart } from '../spec-part.ts';

/** Variables of the quality-score formula (pay.ts evaluates it per facility). */
export const QUALITY_VARIABLES = ['tier', 'longRxShare', 'signedShare', 'visitsPerPatient'];

export const GlobalBudgetModel = z.strictObject({
  name: slug,
  type: z.literal('globalBudget'),
  description: z.string().optional(),
  covers: z.enum(['outpatient', 'outpatientAndInpatient'], { error: 'covers is "outpatient" or "outpatientAndInpatient"' }).default('outpatientAndInpatient'),
  budget: z.strictObject({
    growthRate: dated(rate, 'share/year', "growth of each facility's budget over its fund payments of last year (总额预算)"),
  }),
  clearing: z.strictObject({
    surplusRetention: dated(share, 'share', 'share of the unspent budget a facility under budget keeps at year-end clearing (结余留用)'),
    overspendShare: dated(share, 'share', "share of a facility's overspend the fund pays at year-end clearing (超支分担)"),
    overspendCorridor: dated(share, 'share', "overspend beyond this share of the budget is not paid at all (e.g. 0.1: the fund shares overspend up to 110% of the budget)"),
  }),
  quality: z.strictObject({
    withholdShare: dated(share, 'share', 'share of the recognised payment withheld during the year as the quality reserve (质量保证金), paid × quality score at clearing'),
    score: z.string().min(1).describe('mathjs formula of a facility\'s quality score in [0, 1] (质量评价, 京医保发〔2024〕3号 第13条 counts long prescriptions in it); variables: tier (0 village, 1 township, 2 hospital), longRxShare (long-prescription share of drug cost), signedShare, visitsPerPatient'),
  }),
});
export type GlobalBudgetSpec = z.output<typeof GlobalBudgetModel>;

function validate(m: GlobalBudgetSpec, _s: unknown, mp: string[]): RuleIssue[] {
  try {
    const f = compileFormula(m.quality.score, QUALITY_VARIABLES);
    for (const tier of [0, 1, 2]) for (const longRxShare of [0, 0.5, 1]) for (const [signedShare, visitsPerPatient] of [[0, 0], [1, 12]]) f.evaluate({ tier, longRxShare, signedShare, visitsPerPatient });
    return [];
  } catch (e) {
    return [{ path: [...mp, 'quality', 'score'], rule: `quality score formula: ${(e as Error).message}` }];
  }
}

export const globalBudgetSpec: PaymentSpecPart<GlobalBudgetSpec> = {
  type: 'globalBudget',
  schema: GlobalBudgetModel,
  validate,
  // Each facility's budget is its fund payments of last year, grown.
  historyYears: () => 1,
};
