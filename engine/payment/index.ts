import type { PaymentModelSpecT } from '../params/schema.ts';
import type { Region } from '../population/region.ts';
import { capitation } from './capitation/pay.ts';
import { feeForService } from './fee-for-service/pay.ts';
import type { PaymentModel } from './model.ts';
import { points } from './points/pay.ts';

export type { PaymentModel, PaymentInput, PaymentResult, CapitationYearDetail, PointsYearDetail, CommunitySettlement } from './model.ts';
export { feeForService } from './fee-for-service/pay.ts';
export { capitation } from './capitation/pay.ts';
export { points, facilityPoints, CAPABILITY_VARIABLES } from './points/pay.ts';

/** The payment model a scenario's spec describes. */
export function paymentModel(spec: PaymentModelSpecT, region: Region): PaymentModel {
  switch (spec.type) {
    case 'feeForService':
      return feeForService(spec.name);
    case 'capitation':
      return capitation(spec, region);
    case 'points':
      return points(spec);
  }
}
