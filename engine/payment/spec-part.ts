/**
 * A payment model's part of the scenario format: its zod schema, the rules a schema cannot express,
 * and the history years it reads. Each model keeps it in `engine/payment/<model>/spec.ts`, and
 * `specs.ts` lists them for the scenario schema (params/schema.ts) and validation (params/rules.ts).
 * A spec part imports only the format's building blocks (params/schema-parts.ts, params/dated-checks.ts),
 * so the parameters stage can read it without depending on the payment stage's code.
 */
import type { z } from 'zod';
import type { RuleIssue } from '../params/dated-checks.ts';
import type { ScenarioFile } from '../params/schema.ts';

export interface PaymentSpecPart<S extends { type: string; name: string }> {
  readonly type: S['type'];
  readonly schema: z.ZodType<S, any>;
  /** Rules the schema cannot express; `path` is the model's path in the scenario (paymentModels, i). */
  validate(spec: S, scenario: ScenarioFile, path: string[]): RuleIssue[];
  /** Years before the horizon whose claims the model reads (capitation's base years, points' last year). */
  historyYears(spec: S, scenario: ScenarioFile): number;
}
