/**
 * Fee-for-service (按项目付费): the fund pays each facility the fund share of its claims,
 * outpatient and inpatient, as adjudicated (docs/payment-models.md).
 */
import { payClaimsFundShare } from '../claims-fund.ts';

export const _feeForServiceCore = payClaimsFundShare;
