// F1/F2 points: point value and payment by points (point-value.ts), pre-settlement and year-end clearing
// (clearing.ts), DIP weights and outlier coefficients (dip-outlier.ts). Grouped in one file to keep the suite
// fast (each file pays ~2 s to import @fast-check/vitest).
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { yearEndClearing } from '../../engine/settlement/clearing.ts';
import { dipCoefficient, outlierCoefficient } from '../../engine/settlement/dip-outlier.ts';
import { payByPoints, pointValue } from '../../engine/settlement/point-value.ts';

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
/** Budgets up to 10M yuan and integer points up to 1M: budget × points stays below 2^53, exact in floating point. */
const budget = fc.integer({ min: 0, max: 1e9 });
const intPoints = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 });

describe('pointValue (F1)', () => {
  it('is budget ÷ Σ points', () => {
    expect(pointValue(1_000_000, 400_000)).toBe(2.5);
    expect(pointValue(0, 10)).toBe(0);
  });

  it.each([
    ['budgetFen', -1, 10],
    ['budgetFen', 1.5, 10],
    ['totalPoints', 100, 0],
    ['totalPoints', 100, Number.NaN],
    ['totalPoints', 100, Number.POSITIVE_INFINITY],
  ])('rejects bad %s', (name, b, p) => {
    expect(() => pointValue(b, p)).toThrow(RangeError);
    expect(() => pointValue(b, p)).toThrow(name);
  });
});

describe('payByPoints (F1)', () => {
  it('pays in proportion to points × coefficients', () => {
    expect(payByPoints(1_000, [100, 300])).toEqual({ pointValue: 2.5, paymentsFen: [250, 750] });
    expect(payByPoints(1_000, [100, 300], [2, 1])).toEqual({ pointValue: 2, paymentsFen: [400, 600] });
    expect(payByPoints(100, [1, 1, 1]).paymentsFen).toEqual([34, 33, 33]);
  });

  it('coefficients redistribute, they never add money', () => {
    const r = payByPoints(1_000_000, [100, 200, 300], [1.2, 1, 0.8]);
    expect(sum(r.paymentsFen)).toBe(1_000_000);
    expect(r.pointValue).toBeCloseTo(1_000_000 / (120 + 200 + 240), 12);
  });

  it('no points and no budget: nothing to pay', () => {
    expect(payByPoints(0, [0, 0])).toEqual({ pointValue: 0, paymentsFen: [0, 0] });
    expect(payByPoints(0, [])).toEqual({ pointValue: 0, paymentsFen: [] });
  });

  test.prop(
    [fc.integer({ min: 0, max: 1e12 }), fc.array(fc.tuple(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true })), { minLength: 1, maxLength: 30 })],
    { numRuns: 200 },
  )('payments sum to the budget to the fen, each within one fen of its exact share budget × w_i / Σw', (b, pc) => {
    const points = pc.map(([p]) => p);
    const coefs = pc.map(([, c]) => c);
    const w = pc.map(([p, c]) => p * c);
    fc.pre(sum(w) > 0 || b === 0);
    const r = payByPoints(b, points, coefs);
    expect(sum(r.paymentsFen)).toBe(b);
    r.paymentsFen.forEach((pay, i) => {
      expect(Number.isSafeInteger(pay)).toBe(true);
      expect(pay).toBeGreaterThanOrEqual(0);
      expect(Math.abs(pay - (sum(w) > 0 ? (b * w[i]) / sum(w) : 0))).toBeLessThan(1 + 1e-3);
    });
  });

  test.prop([budget.filter((b) => b > 0), intPoints, fc.nat(), fc.integer({ min: 1, max: 1_000_000 })], { numRuns: 200 })(
    'raising one facility\'s points lowers the point value and every other exact share; no other payment rises by more than 1 fen',
    (b, points, k0, delta) => {
      fc.pre(sum(points) > 0);
      const k = k0 % points.length;
      const before = payByPoints(b, points);
      const raised = points.map((p, i) => (i === k ? p + delta : p));
      const after = payByPoints(b, raised);
      expect(after.pointValue).toBeLessThan(before.pointValue);
      expect(sum(after.paymentsFen)).toBe(b);
      for (let j = 0; j < points.length; j++) {
        if (j === k) continue;
        expect((b * points[j]) / sum(raised)).toBeLessThanOrEqual((b * points[j]) / sum(points));
        expect(after.paymentsFen[j]).toBeLessThanOrEqual(before.paymentsFen[j] + 1);
      }
    },
  );

  it('largest remainder can move one fen to another facility when one raises its points (Hamilton population paradox)', () => {
    // exact shares before: 9.7, 100.7, 0.6 → [10, 101, 0]; after the first raises to 103: 10.24, 100.16, 0.60 → [10, 100, 1]
    expect(payByPoints(111, [97, 1007, 6]).paymentsFen).toEqual([10, 101, 0]);
    expect(payByPoints(111, [103, 1007, 6]).paymentsFen).toEqual([10, 100, 1]);
  });

  test.prop([budget, fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 20 })], { numRuns: 200 })(
    '10 % inflation by everyone leaves every payment unchanged (exactly proportional points)',
    (b, tenths) => {
      fc.pre(sum(tenths) > 0);
      const points = tenths.map((t) => t * 10);
      const inflated = tenths.map((t) => t * 11); // points × 1.1, exactly
      const before = payByPoints(b, points);
      const after = payByPoints(b, inflated);
      expect(after.paymentsFen).toEqual(before.paymentsFen);
      expect(Math.abs(after.pointValue * 1.1 - before.pointValue)).toBeLessThanOrEqual(1e-12 * before.pointValue);
    },
  );

  test.prop([budget, intPoints], { numRuns: 200 })(
    'with floating-point inflation (points × 1.1) payments move by at most 1 fen and still sum to the budget',
    (b, points) => {
      fc.pre(sum(points) > 0);
      const before = payByPoints(b, points);
      const after = payByPoints(b, points.map((p) => p * 1.1));
      expect(sum(after.paymentsFen)).toBe(b);
      after.paymentsFen.forEach((p, i) => expect(Math.abs(p - before.paymentsFen[i])).toBeLessThanOrEqual(1));
    },
  );

  describe('rejects bad input with a RangeError naming the parameter', () => {
    it.each([
      ['budgetFen', -1, [1], undefined],
      ['points[1]', 100, [1, -2], undefined],
      ['points[0]', 100, [Number.NaN], undefined],
      ['coefficients', 100, [1, 2], [1]],
      ['coefficients[1]', 100, [1, 2], [1, Number.POSITIVE_INFINITY]],
      ['points must have a positive total', 100, [0, 0], undefined],
      ['points must have a positive total', 100, [1, 2], [0, 0]],
      ['points must have a positive total', 100, [], undefined],
    ])('%s', (name, b, points, coefs) => {
      expect(() => payByPoints(b, points, coefs)).toThrow(RangeError);
      expect(() => payByPoints(b, points, coefs)).toThrow(name);
    });
  });
});

const monthPoints = fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 15 }).filter((p) => sum(p) > 0);

describe('yearEndClearing', () => {
  it('pays the annual point value and settles the balance, clawing back overpayments', () => {
    const r = yearEndClearing({ annualBudgetFen: 12_000_000, annualPoints: [1_000, 3_000], prepaidFen: [3_500_000, 8_100_000] });
    expect(r).toEqual({
      pointValue: 3000,
      finalFen: [3_000_000, 9_000_000],
      prepaidFen: [3_500_000, 8_100_000],
      balanceFen: [-500_000, 900_000],
      totalFinalFen: 12_000_000,
      totalPrepaidFen: 11_600_000,
      totalBalanceFen: 400_000,
    });
  });

  test.prop(
    [fc.integer({ min: 0, max: 1e11 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0.5, max: 1.5, noNaN: true }), fc.integer({ min: 0, max: 1e9 })), { minLength: 1, maxLength: 20 })],
    { numRuns: 200 },
  )('Σ final = annual budget; final − prepaid = balance; totals consistent', (b, rows) => {
    const annualPoints = rows.map(([p]) => p);
    fc.pre(sum(annualPoints) > 0);
    const r = yearEndClearing({ annualBudgetFen: b, annualPoints, coefficients: rows.map(([, c]) => c), prepaidFen: rows.map(([, , q]) => q) });
    expect(sum(r.finalFen)).toBe(b);
    expect(r.totalFinalFen).toBe(b);
    r.finalFen.forEach((f, i) => expect(f - r.prepaidFen[i]).toBe(r.balanceFen[i]));
    expect(sum(r.balanceFen)).toBe(r.totalBalanceFen);
    expect(r.totalBalanceFen).toBe(r.totalFinalFen - r.totalPrepaidFen);
  });

  it.each([
    ['annualBudgetFen', { annualBudgetFen: 0.5, annualPoints: [1], prepaidFen: [0] }],
    ['annualPoints[0]', { annualBudgetFen: 100, annualPoints: [Number.NaN], prepaidFen: [0] }],
    ['annualPoints must have a positive total', { annualBudgetFen: 100, annualPoints: [0, 0], prepaidFen: [0, 0] }],
    ['coefficients', { annualBudgetFen: 100, annualPoints: [1, 1], coefficients: [1], prepaidFen: [0, 0] }],
    ['prepaidFen', { annualBudgetFen: 100, annualPoints: [1, 1], prepaidFen: [0] }],
    ['prepaidFen[1]', { annualBudgetFen: 100, annualPoints: [1, 1], prepaidFen: [0, -5] }],
  ])('rejects bad %s with a RangeError naming it', (name, input) => {
    expect(() => yearEndClearing(input)).toThrow(RangeError);
    expect(() => yearEndClearing(input)).toThrow(name);
  });
});

describe('outlierCoefficient (F2)', () => {
  test.prop([fc.double({ min: 0, max: 50, noNaN: true })])('dipCoefficient (what DIP points apply per admission) is its coefficient: r, 1 or (r − 2) + 1', (r) => {
    expect(dipCoefficient(r)).toBe(outlierCoefficient(r).coefficient);
    expect(dipCoefficient(r)).toBeCloseTo(r < 0.5 ? r : r >= 2 ? r - 2 + 1 : 1, 12);
  });

  it('F2 worked cases: r = 0.4 → 0.4, r = 3 → 2, r = 6 → 5 and flagged', () => {
    expect(outlierCoefficient(0.4)).toEqual({ coefficient: 0.4, class: 'low', flaggedForReview: false });
    expect(outlierCoefficient(3)).toEqual({ coefficient: 2, class: 'high', flaggedForReview: false });
    expect(outlierCoefficient(6)).toEqual({ coefficient: 5, class: 'high', flaggedForReview: true });
  });

  it('boundaries: 0.5 and 1.999 are normal, 2 is high with coefficient 1, 5 is not flagged, 0 is low', () => {
    expect(outlierCoefficient(0.5)).toEqual({ coefficient: 1, class: 'normal', flaggedForReview: false });
    expect(outlierCoefficient(1.999)).toEqual({ coefficient: 1, class: 'normal', flaggedForReview: false });
    expect(outlierCoefficient(2)).toEqual({ coefficient: 1, class: 'high', flaggedForReview: false });
    expect(outlierCoefficient(5)).toEqual({ coefficient: 4, class: 'high', flaggedForReview: false });
    expect(outlierCoefficient(0)).toEqual({ coefficient: 0, class: 'low', flaggedForReview: false });
  });

  test.prop([fc.double({ min: 0, max: 100, noNaN: true })], { numRuns: 200 })('is non-decreasing above 0.5 and continuous at 2', (r) => {
    const a = outlierCoefficient(r);
    const b = outlierCoefficient(r + 0.01);
    if (r >= 0.5) expect(b.coefficient).toBeGreaterThanOrEqual(a.coefficient);
    expect(a.flaggedForReview).toBe(r > 5);
    expect(a.class).toBe(r < 0.5 ? 'low' : r < 2 ? 'normal' : 'high');
  });

  it.each([-0.1, Number.NaN, Number.POSITIVE_INFINITY])('rejects r = %s with a RangeError naming r', (r) => {
    expect(() => outlierCoefficient(r)).toThrow(RangeError);
    expect(() => outlierCoefficient(r)).toThrow(/^r must be/);
  });
});

