import type { PaymentModelSpecT } from '../params/schema.ts';
import type { Region } from '../population/region.ts';
import { capitation } from './capitation.ts';
import { feeForService } from './fee-for-service.ts';
import type { PaymentModel } from './model.ts';
import { points } from './points.ts';

export type { PaymentModel, PaymentInput, PaymentResult, CapitationYearDetail, PointsYearDetail, CommunitySettlement } from './model.ts';
export { feeForService } from './fee-for-service.ts';
export { capitation } from './capitation.ts';
export { points, facilityPoints, CAPABILITY_VARIABLES } from './points.ts';

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
