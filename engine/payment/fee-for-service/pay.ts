/**
 * Fee-for-service (按项目付费): the fund pays each facility the fund share of its claims,
 * outpatient and inpatient, as adjudicated.
 */
import { Metric, NM } from '../../utilization/metrics.ts';
import type { PaymentInput, PaymentModel, PaymentResult } from '../model.ts';

export function feeForService(name: string): PaymentModel {
  return { name, type: 'feeForService', payYear: (input) => _feeForServiceCore(input) };
}

export function _feeForServiceCore({ region, agg, yearIndex }: PaymentInput): PaymentResult {
  const nF = region.facilities.length;
  const pay = new Float64Array(nF);
  let total = 0;
  for (let f = 0; f < nF; f++) {
    const k = (yearIndex * nF + f) * NM;
    pay[f] = agg[k + Metric.opFund] + agg[k + Metric.ipFund];
    total += pay[f];
  }
  return { fundToFacilityFen: pay, fundOutlayFen: total, claimsFundFen: total };
}
