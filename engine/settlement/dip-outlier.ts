/**
 * DIP-style scoring (F2 of docs/payment-models.md): the cost-deviation (outlier) coefficient of a
 * single case, which the points model's DIP points apply per admission.
 */

/** The outlier class of a case by its cost ratio. */
export type OutlierClass = 'low' | 'normal' | 'high';

/** Result of {@link outlierCoefficient}. */
export interface OutlierCoefficient {
  /** Multiplier on the case's group score. */
  coefficient: number;
  /** 'low' when r < 0.5, 'high' when r ≥ 2, else 'normal'. */
  class: OutlierClass;
  /** True when r > 5: the case goes to expert review (specially-reviewed case). */
  flaggedForReview: boolean;
}

/** Cost ratio below which a case is a low-cost outlier. */
export const DIP_LOW_RATIO = 0.5;
/** Cost ratio from which a case is a high-cost outlier. */
export const DIP_HIGH_RATIO = 2;
/** Cost ratio above which a case is flagged for expert review. */
export const DIP_REVIEW_RATIO = 5;

/**
 * Outlier coefficient of a case, F2, from its cost ratio `r` = case cost ÷ last year's same-level
 * mean cost of its group:
 * - r < 0.5 → coefficient r ('low');
 * - 0.5 ≤ r < 2 → coefficient 1 ('normal');
 * - r ≥ 2 → coefficient (r − 2) + 1 ('high'; continuous at r = 2), and r > 5 is also flagged for review.
 *
 * Reference: docs/payment-models.md F2; 国家医疗保障按病种分值付费（DIP）技术规范 (医保办发〔2020〕50号), 费用偏差病例.
 *
 * @param r cost ratio, finite ≥ 0.
 * @example outlierCoefficient(0.4) // { coefficient: 0.4, class: 'low', flaggedForReview: false }
 * @example outlierCoefficient(3)   // { coefficient: 2, class: 'high', flaggedForReview: false }
 * @example outlierCoefficient(6)   // { coefficient: 5, class: 'high', flaggedForReview: true }
 */
export function outlierCoefficient(r: number): OutlierCoefficient {
  if (!(r >= 0) || !Number.isFinite(r)) {
    throw new RangeError(`r must be a finite number ≥ 0 (case cost ÷ last year's same-level group mean, F2), got ${r}`);
  }
  return _outlierCoefficientCore(r);
}

/** The computation of {@link outlierCoefficient} without checks. */
export function _outlierCoefficientCore(r: number): OutlierCoefficient {
  return { coefficient: dipCoefficient(r), class: r < DIP_LOW_RATIO ? 'low' : r < DIP_HIGH_RATIO ? 'normal' : 'high', flaggedForReview: r > DIP_REVIEW_RATIO };
}

/**
 * The coefficient alone of {@link outlierCoefficient}, without checks or allocation (what the points
 * model's claim figure computes per admission). (r − 2) + 1 is computed as r − 1: one rounding.
 * @example dipCoefficient(3) // 2
 */
export function dipCoefficient(r: number): number {
  return r < DIP_LOW_RATIO ? r : r >= DIP_HIGH_RATIO ? r - (DIP_HIGH_RATIO - 1) : 1;
}
