/**
 * The registry of payment models' scenario-format parts (each model's `spec.ts`): the scenario schema
 * (params/schema.ts) builds `paymentModels` from them and validation (params/rules.ts) calls their
 * rules. The models' code is registered in `registry.ts`. Adding a model: its folder, a line here and
 * a line in registry.ts.
 */
import { z } from 'zod';
import { CapitationModel, capitationSpec, type CapitationSpec } from './capitation/spec.ts';
import { FeeForServiceModel, feeForServiceSpec, type FeeForServiceSpec } from './fee-for-service/spec.ts';
import { GlobalBudgetModel, globalBudgetSpec, type GlobalBudgetSpec } from './global-budget/spec.ts';
import { PointsModel, pointsSpec, type PointsSpec } from './points/spec.ts';
import type { PaymentSpecPart } from './spec-part.ts';

export type { CapitationSpec, FeeForServiceSpec, GlobalBudgetSpec, PointsSpec };

export const PAYMENT_SPECS = [feeForServiceSpec, capitationSpec, pointsSpec, globalBudgetSpec] as const;

export const PaymentModelSpec = z.discriminatedUnion('type', [FeeForServiceModel, CapitationModel, PointsModel, GlobalBudgetModel], {
  error: `payment model \`type\` must be one of: ${PAYMENT_SPECS.map((p) => p.type).join(', ')}`,
});
export type PaymentModelSpecT = z.output<typeof PaymentModelSpec>;

/** The spec part of a model type. */
export function specPart(type: string): PaymentSpecPart<PaymentModelSpecT> {
  const p = PAYMENT_SPECS.find((x) => x.type === type);
  if (!p) throw new RangeError(`no payment model of type "${type}"`);
  return p as unknown as PaymentSpecPart<PaymentModelSpecT>;
}
