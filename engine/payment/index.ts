import type { PaymentModelSpecT } from '../params/schema.ts';
import { feeForService } from './fee-for-service.ts';
import type { PaymentModel } from './model.ts';

export type { PaymentModel, PaymentInput, PaymentResult } from './model.ts';
export { feeForService } from './fee-for-service.ts';

/** The payment model a scenario's spec describes. */
export function paymentModel(spec: PaymentModelSpecT): PaymentModel {
  switch (spec.type) {
    case 'feeForService':
      return feeForService(spec.name);
  }
}
