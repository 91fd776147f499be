/** Fee-for-service as a payment-model plugin (payment/model.ts). */
import { at } from '../../params/param.ts';
import { Metric } from '../../utilization/metrics.ts';
import type { PaymentModel, PaymentPlugin } from '../model.ts';
import { _feeForServiceCore } from './pay.ts';
import type { FeeForServiceSpec } from './spec.ts';

export { _feeForServiceCore };

/** A fee-for-service payer named `name`. */
export function feeForService(name: string): PaymentModel {
  return { name, type: 'feeForService', payYear: _feeForServiceCore };
}

export const feeForServicePlugin: PaymentPlugin<FeeForServiceSpec> = {
  type: 'feeForService',
  label: { zh: '按项目付费', en: 'Fee-for-service' },
  stages: [],
  figureLabels: {},
  firstYearRead: (_spec, _region, horizonStart) => horizonStart,
  behaviour(spec, s) {
    const v = spec.behaviour?.volumeResponse;
    if (!v) return null;
    return { modifier: { consultFactor: (y, mo) => 1 + at(v, y, mo) }, fromYear: s.horizon.startYear };
  },
  create: (spec) => feeForService(spec.name),
  explain: ({ metric, result, f, yuan }) => [
    "2. Fee-for-service: the fund pays the claims' fund share",
    `   payment = ${yuan(metric(Metric.opFund))} + ${yuan(metric(Metric.ipFund))} = ${yuan(result.fundToFacilityFen[f])}`,
  ],
};
