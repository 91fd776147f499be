/**
 * Utilization variants: the kernel parameters each payment model's patients are simulated with.
 * Models with neutral behaviour share the base variant (one simulation serves them all); a model
 * whose providers respond (induced volume, under-service, referral out) gets its own variant,
 * simulated on the *same* random streams, so differences between models are paired (common random
 * numbers): the same patients, and the same uniforms and normals in the same order.
 */
import type { ScenarioFile } from '../params/schema.ts';
import { compileKernelParams, type KernelParams, type UtilizationModifier } from './kernel-params.ts';

export interface UtilizationVariant {
  key: string;
  /** Parameters for every patient outside a pilot. */
  kp: KernelParams;
  /** For behaviour limited to some communities (a capitation pilot): their patients' parameters. */
  pilot?: { kp: KernelParams; community: Uint8Array };
  /**
   * For a restatement (utilization/restate.ts): the rules' year, the base years restated, the span of
   * years simulated [from, to), and the payment models that read it.
   */
  restatement?: { rulesYear: number; years: number[]; from: number; to: number; models: number[] };
}

/**
 * Provider behaviour a payment model asks for (payment/model.ts `PaymentPlugin.behaviour`): the
 * modifier of its patients' utilization, the communities whose patients behave so (undefined:
 * everyone), and the first calendar year it applies (history years before it were paid
 * fee-for-service, and a capitation budget is measured on them).
 */
export interface BehaviourRequest {
  modifier: UtilizationModifier;
  communities?: Uint8Array;
  fromYear: number;
}

/** The modifier, neutral before `fromYear`. */
function fromYear(m: UtilizationModifier, from: number): UtilizationModifier {
  return {
    consultFactor: m.consultFactor && ((y, mo) => (y < from ? 1 : m.consultFactor!(y, mo))),
    primaryShift: m.primaryShift && ((y, mo) => (y < from ? 0 : m.primaryShift!(y, mo))),
    admissionFactor: m.admissionFactor && ((y, mo) => (y < from ? 1 : m.admissionFactor!(y, mo))),
  };
}

/**
 * The variants of a scenario: the base, and one per model with behaviour (`behaviours[i]` of payment
 * model i, null when neutral); `modelVariant[i]` is the variant model i reads.
 */
export function buildVariants(s: ScenarioFile, years: number[], behaviours: readonly (BehaviourRequest | null)[]): { variants: UtilizationVariant[]; modelVariant: number[] } {
  const base = compileKernelParams(s, years);
  const variants: UtilizationVariant[] = [{ key: 'base', kp: base }];
  const modelVariant = behaviours.map((b, i) => {
    if (!b) return 0;
    const kp = compileKernelParams(s, years, fromYear(b.modifier, b.fromYear));
    variants.push(b.communities ? { key: s.paymentModels[i].name, kp: base, pilot: { kp, community: b.communities } } : { key: s.paymentModels[i].name, kp });
    return variants.length - 1;
  });
  return { variants, modelVariant };
}
