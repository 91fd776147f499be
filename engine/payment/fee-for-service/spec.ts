/** Fee-for-service's part of the scenario format (payment/spec-part.ts). */
import { z } from 'zod';
import { behaviourNote, dated, num, slug } from '../../params/schema-parts.ts';
import type { PaymentSpecPart } from '../spec-part.ts';

export const FeeForServiceModel = z.strictObject({
  name: slug.describe('the name results are reported under'),
  type: z.literal('feeForService'),
  description: z.string().optional(),
  behaviour: z
    .strictObject({
      volumeResponse: dated(num('volumeResponse').min(-0.5).max(1), 'share', 'extra non-refill visits providers induce under fee-for-service (0.05 = +5%)'),
    })
    .partial()
    .optional()
    .describe(behaviourNote),
});
export type FeeForServiceSpec = z.output<typeof FeeForServiceModel>;

export const feeForServiceSpec: PaymentSpecPart<FeeForServiceSpec> = {
  type: 'feeForService',
  schema: FeeForServiceModel,
  validate: () => [],
  historyYears: () => 0,
};
