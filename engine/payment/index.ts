/**
 * The payment stage's public face: the plugin interface, the registry, and each model's entry points.
 * docs/payment-models.md describes the models.
 */
export type { AggLayout, Behaviour, ClaimFigure, ExplainContext, FigureLabel, PaymentInput, PaymentModel, PaymentPlugin, PaymentResult, SettlementTable, SettlementYear } from './model.ts';
export { PAYMENT_PLUGINS, plugin, paymentModel, stagesOf, BASE_STAGES } from './registry.ts';
export { PAYMENT_SPECS, PaymentModelSpec, specPart, type PaymentModelSpecT } from './specs.ts';
export { feeForService, _feeForServiceCore } from './fee-for-service/index.ts';
export { capitation, capitationFigures, _capitationCore, type CapitationYearDetail, type CommunitySettlement } from './capitation/index.ts';
export { points, facilityPoints, _pointsCore, dipFigures, CAPABILITY_VARIABLES, DIP_POINTS, DIP_FLAGGED, type PointsYearDetail } from './points/index.ts';
