/**
 * The registry of payment-model plugins (payment/model.ts): the only place that maps a model's `type`
 * to its code. Their scenario-format parts are registered in specs.ts. Adding a model: its folder
 * (spec.ts, index.ts, its rules), a line here and one in specs.ts, a scenario and docs.
 */
import { capitationPlugin } from './capitation/index.ts';
import { feeForServicePlugin } from './fee-for-service/index.ts';
import { globalBudgetPlugin } from './global-budget/index.ts';
import type { PaymentPlugin } from './model.ts';
import { pointsPlugin } from './points/index.ts';
import type { PaymentModelSpecT } from './specs.ts';

export const PAYMENT_PLUGINS: readonly PaymentPlugin<any, any>[] = [feeForServicePlugin, capitationPlugin, pointsPlugin, globalBudgetPlugin];

/** The plugin of a model type. */
export function plugin(type: string): PaymentPlugin<PaymentModelSpecT, unknown> {
  const p = PAYMENT_PLUGINS.find((x) => x.type === type);
  if (!p) throw new RangeError(`no payment model of type "${type}"`);
  return p;
}

/** The payer of a scenario's payment model spec. */
export function paymentModel(spec: PaymentModelSpecT, scenario: Parameters<PaymentPlugin['create']>[1], region: Parameters<PaymentPlugin['create']>[2]) {
  return plugin(spec.type).create(spec, scenario, region);
}

/** Stage names every results file carries (the v0.2 columns), then those of further models present. */
export const BASE_STAGES = ['claims', 'capitation', 'surplusReturned', 'overspendPaid', 'pointSettlement'] as const;
export function stagesOf(types: readonly string[]): string[] {
  const out: string[] = [...BASE_STAGES];
  for (const t of types) for (const st of plugin(t).stages) if (!out.includes(st)) out.push(st);
  return out;
}
