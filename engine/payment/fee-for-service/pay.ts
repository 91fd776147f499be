/**
 * Fee-for-service (按项目付费): the fund pays each facility the fund share of its claims,
 * outpatient and inpatient, as adjudicated (docs/payment-models.md).
 */
import { Metric } from '../../utilization/metrics.ts';
import type { PaymentInput, PaymentResult } from '../model.ts';

export function _feeForServiceCore({ region, agg, layout, yearIndex }: PaymentInput): PaymentResult {
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
