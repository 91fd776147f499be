/**
 * Regional point-value payment (区域点数法总额预算和分值付费, F1 of docs/payment-models.md): a fixed budget is shared
 * by the points the facilities earn, so the value of a point floats.
 */
import { _splitCore } from '../money/split.ts';

/** Result of {@link payByPoints}. */
export interface PointPayments {
  /** Effective fen per point: budget ÷ Σ(points × coef); 0 when there are no points and no budget. */
  pointValue: number;
  /** Payment per facility, integer fen, summing exactly to the budget. */
  paymentsFen: number[];
}

/**
 * Point value, F1: `PV = B / ΣPoints`, in fen per point (a float: rates are floating point,
 * money is not).
 *
 * Reference: docs/payment-models.md F1; 芜医保〔2025〕17号 二(四)10 (区域点数法总额预算和分值付费).
 *
 * @param budgetFen the budget B, integer fen ≥ 0.
 * @param totalPoints Σ points of all facilities, finite > 0.
 * @example pointValue(1_000_000, 400_000) // 2.5
 */
export function pointValue(budgetFen: number, totalPoints: number): number {
  if (!Number.isSafeInteger(budgetFen) || budgetFen < 0) {
    throw new RangeError(`budgetFen must be an integer number of fen ≥ 0 (the regional budget B, F1), got ${budgetFen}`);
  }
  if (!(totalPoints > 0) || !Number.isFinite(totalPoints)) {
    throw new RangeError(`totalPoints must be a finite number > 0 (the budget is divided by it, F1), got ${totalPoints}`);
  }
  return _pointValueCore(budgetFen, totalPoints);
}

/** The computation of {@link pointValue} without checks. */
export function _pointValueCore(budgetFen: number, totalPoints: number): number {
  return budgetFen / totalPoints;
}

/**
 * Pay facilities by points, F1: payment_i ∝ points_i × coef_i, normalised so the payments sum EXACTLY to
 * the budget (largest remainder on the weights points_i × coef_i; each payment is within one fen of
 * its exact share budget × w_i / Σw).
 *
 * Coefficients (level / quality coefficients, default 1) redistribute the budget, they never add money:
 * the effective value per point is `budget ÷ Σ(points × coef)`, and that is the `pointValue` returned,
 * so payment_i ≈ points_i × coef_i × pointValue. With all coefficients 1 it is F1's `B / ΣPoints`.
 *
 * Properties (exact, for the unrounded shares): raising one facility's points with the budget fixed lowers
 * the point value and every other facility's share; multiplying everyone's points by the same factor
 * (e.g. 10 % inflation) changes nothing. After rounding to the fen, largest remainder can move one fen:
 * another facility's payment may rise by at most 1 fen (Hamilton's population paradox), and with inexact
 * floating-point weights (e.g. points × 1.1) an exact tie between remainders may break the other way.
 * Integer points (or exactly proportional weights) are exactly invariant under scaling.
 *
 * Reference: docs/payment-models.md F1; 芜医保〔2025〕17号 二(四)10 (二级及以上 by item points, primary level by physician
 * service-capability points).
 *
 * @param budgetFen the budget B, integer fen ≥ 0.
 * @param points points per facility, finite ≥ 0.
 * @param coefficients optional coefficient per facility, finite ≥ 0, same length as `points`.
 * @example payByPoints(1_000, [100, 300])            // { pointValue: 2.5, paymentsFen: [250, 750] }
 * @example payByPoints(1_000, [100, 300], [2, 1])    // { pointValue: 2, paymentsFen: [400, 600] }
 */
export function payByPoints(budgetFen: number, points: readonly number[], coefficients?: readonly number[]): PointPayments {
  assertPointInputs(budgetFen, points, coefficients);
  return _payByPointsCore(budgetFen, points, coefficients);
}

/**
 * Throw a RangeError naming the parameter unless the inputs of {@link payByPoints} are valid: budget an
 * integer ≥ 0, points and coefficients finite ≥ 0 with one coefficient per facility, and Σ(points × coef)
 * > 0 whenever the budget is non-zero. `budgetName` / `pointsName` are the names used in messages, so that
 * callers (pre-settlement, clearing) report their own parameter names.
 *
 * @example assertPointInputs(1_000, [100, 300]) // ok
 */
export function assertPointInputs(
  budgetFen: number,
  points: readonly number[],
  coefficients?: readonly number[],
  budgetName = 'budgetFen',
  pointsName = 'points',
): void {
  if (!Number.isSafeInteger(budgetFen) || budgetFen < 0) {
    throw new RangeError(`${budgetName} must be an integer number of fen ≥ 0 (the budget shared by points, F1), got ${budgetFen}`);
  }
  if (!Array.isArray(points)) throw new RangeError(`${pointsName} must be an array with one entry per facility, got ${points}`);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (!(p >= 0) || !Number.isFinite(p)) throw new RangeError(`${pointsName}[${i}] must be a finite number ≥ 0, got ${p}`);
  }
  if (coefficients !== undefined) {
    if (!Array.isArray(coefficients) || coefficients.length !== points.length) {
      throw new RangeError(
        `coefficients must have one entry per facility (${points.length}), got ${Array.isArray(coefficients) ? coefficients.length : coefficients}`,
      );
    }
    for (let i = 0; i < coefficients.length; i++) {
      const c = coefficients[i];
      if (!(c >= 0) || !Number.isFinite(c)) throw new RangeError(`coefficients[${i}] must be a finite number ≥ 0, got ${c}`);
    }
  }
  let total = 0;
  for (let i = 0; i < points.length; i++) total += coefficients === undefined ? points[i] : points[i] * coefficients[i];
  if (!Number.isFinite(total)) throw new RangeError(`Σ ${pointsName} × coefficients must be finite, got ${total}`);
  if (!(total > 0) && budgetFen > 0) {
    throw new RangeError(
      `${pointsName} must have a positive total (Σ points × coefficients > 0) to distribute a budget of ${budgetFen} fen, got ${total}`,
    );
  }
}

/** The computation of {@link payByPoints} without checks. */
export function _payByPointsCore(budgetFen: number, points: readonly number[], coefficients?: readonly number[]): PointPayments {
  const weights = coefficients === undefined ? points : points.map((p, i) => p * coefficients[i]);
  let total = 0;
  for (const w of weights) total += w;
  if (!(total > 0)) return { pointValue: 0, paymentsFen: new Array<number>(points.length).fill(0) };
  return { pointValue: budgetFen / total, paymentsFen: _splitCore(budgetFen, weights, total) };
}
