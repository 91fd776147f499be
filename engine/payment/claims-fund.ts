/**
 * The fund share of each facility's claims, outpatient and inpatient, as adjudicated
 * (docs/payment-models.md): what fee-for-service pays, and what any other model pays where it does
 * not apply (capitation outside its pilot counties or before its start year). Shared by the plugins
 * so that no model's folder imports another's.
 */
import { Metric } from '../utilization/metrics.ts';
import type { PaymentInput, PaymentResult } from './model.ts';

export function payClaimsFundShare({ region, agg, layout, yearIndex }: PaymentInput): PaymentResult {
  const nF = region.facilities.length;
  const nm = layout.nm;
  const pay = new Float64Array(nF);
  let total = 0;
  for (let f = 0; f < nF; f++) {
    const k = (yearIndex * nF + f) * nm;
    pay[f] = agg[k + Metric.opFund] + agg[k + Metric.ipFund];
    total += pay[f];
  }
  return { fundToFacilityFen: pay, fundOutlayFen: total, claimsFundFen: total, figures: {}, stages: { claims: total } };
}
