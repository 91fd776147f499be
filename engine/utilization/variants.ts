/**
 * Utilization variants: the kernel parameters each payment model's patients are simulated with.
 * Models with neutral behaviour share the base variant (one simulation serves them all); a model
 * whose providers respond (induced volume, under-service, referral out) gets its own variant,
 * simulated on the *same* random streams, so differences between models are paired (common random
 * numbers): the same patients, and the same uniforms and normals in the same order.
 */
import { at } from '../params/param.ts';
import type { PaymentModelSpecT, ScenarioFile } from '../params/schema.ts';
import type { Region } from '../population/region.ts';
import { compileKernelParams, type KernelParams, type UtilizationModifier } from './kernel-params.ts';

export interface UtilizationVariant {
  key: string;
  /** Parameters for every patient outside a pilot. */
  kp: KernelParams;
  /** For capitation behaviour: parameters of the pilot communities' patients. */
  pilot?: { kp: KernelParams; community: Uint8Array };
}

/** Community flags (1 = in the pilot) for a capitation model's `pilotCounties` (default: all). */
export function pilotCommunities(region: Region, counties: string[] | undefined): Uint8Array {
  const flag = new Uint8Array(region.communities.length);
  region.communities.forEach((c, i) => {
    flag[i] = counties === undefined || counties.includes(region.counties[c.county].id) ? 1 : 0;
  });
  return flag;
}

/**
 * The utilization modifier of a payment model's behaviour, or null when neutral. Behaviour applies
 * from the horizon's first year: the history years before it were paid fee-for-service, and a
 * capitation budget is measured on them.
 */
function nonNeutral(spec: PaymentModelSpecT, fromYear: number): UtilizationModifier | null {
  const m = modifier(spec);
  if (!m) return null;
  return {
    consultFactor: m.consultFactor && ((y, mo) => (y < fromYear ? 1 : m.consultFactor!(y, mo))),
    primaryShift: m.primaryShift && ((y, mo) => (y < fromYear ? 0 : m.primaryShift!(y, mo))),
  };
}

function modifier(spec: PaymentModelSpecT): UtilizationModifier | null {
  if (spec.type === 'feeForService' && spec.behaviour?.volumeResponse) {
    const v = spec.behaviour.volumeResponse;
    return { consultFactor: (y, mo) => 1 + at(v, y, mo) };
  }
  if (spec.type === 'capitation' && (spec.behaviour?.underService || spec.behaviour?.referralOut)) {
    const u = spec.behaviour.underService;
    const r = spec.behaviour.referralOut;
    return {
      consultFactor: u ? (y, mo) => 1 - at(u, y, mo) : undefined,
      primaryShift: r ? (y, mo) => -at(r, y, mo) : undefined,
    };
  }
  return null;
}

export function buildVariants(s: ScenarioFile, region: Region, years: number[]): { variants: UtilizationVariant[]; modelVariant: number[] } {
  const base = compileKernelParams(s, years);
  const variants: UtilizationVariant[] = [{ key: 'base', kp: base }];
  const modelVariant = s.paymentModels.map((spec) => {
    const mod = nonNeutral(spec, spec.type === 'capitation' ? spec.startYear ?? s.horizon.startYear : s.horizon.startYear);
    if (!mod) return 0;
    if (spec.type === 'capitation') {
      variants.push({ key: spec.name, kp: base, pilot: { kp: compileKernelParams(s, years, mod), community: pilotCommunities(region, spec.pilotCounties) } });
    } else {
      variants.push({ key: spec.name, kp: compileKernelParams(s, years, mod) });
    }
    return variants.length - 1;
  });
  return { variants, modelVariant };
}
