// Largest-remainder (Hamilton) split of integer fen: parts always sum exactly to the whole.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestRemainderSplit } from '../../engine/money/split.ts';
import { applyRate, fenToYuan, roundHalfUp, yuanToFen } from '../../engine/money/fen.ts';

const RUNS = { numRuns: 200 };
const BIG = 2 ** 50;

/** A double as an exact rational: numerator BigInt over 2^1074. */
function exactScaled(x: number): bigint {
  if (x === 0) return 0n;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = expBits === 0 ? frac : frac | (1n << 52n);
  const e = expBits === 0 ? -1074 : expBits - 1075; // x = mant × 2^e
  return mant << BigInt(e + 1074);
}

/** |part − total·w/Σw| < 1 exactly, i.e. |part·Σw − total·w| < Σw, in exact rational arithmetic. */
function withinOneFen(part: number, total: number, w: number, weights: number[]): boolean {
  const W = exactScaled(w);
  const S = weights.reduce((a, x) => a + exactScaled(x), 0n);
  let d = BigInt(part) * S - BigInt(total) * W;
  if (d < 0n) d = -d;
  return d < S;
}

const totalArb = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: -1e12, max: 1e12 }),
  fc.integer({ min: -BIG, max: BIG }),
  fc.constantFrom(BIG, -BIG, 0, 1, -1),
);
const intWeights = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0));
const floatWeights = fc
  .array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 12 })
  .filter((w) => w.reduce((a, b) => a + b, 0) > 0);
const weightsArb = fc.oneof(intWeights, floatWeights);

describe('largestRemainderSplit', () => {
  it('documented examples, ties to the lower index', () => {
    expect(largestRemainderSplit(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(largestRemainderSplit(120_000_000, [0.4, 0.3, 0.3])).toEqual([48_000_000, 36_000_000, 36_000_000]);
    expect(largestRemainderSplit(1, [1, 1])).toEqual([1, 0]);
    expect(largestRemainderSplit(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(largestRemainderSplit(10, [0, 1, 0])).toEqual([0, 10, 0]);
    expect(largestRemainderSplit(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(largestRemainderSplit(0, [])).toEqual([]);
    expect(largestRemainderSplit(0, [0, 0])).toEqual([0, 0]);
    // the largest remainder wins: 7 × (0.5, 0.3, 0.2) = 3.5, 2.1, 1.4 → floors 3, 2, 1 and the fen left goes to 0.5
    expect(largestRemainderSplit(7, [0.5, 0.3, 0.2])).toEqual([4, 2, 1]);
  });

  it('parts are integers summing exactly to the total (any integer total up to ±2^50)', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const parts = largestRemainderSplit(total, weights);
        expect(parts).toHaveLength(weights.length);
        expect(parts.every(Number.isSafeInteger)).toBe(true);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        // exact in BigInt too (a float sum of the parts could hide an error at 2^50)
        expect(parts.reduce((a, b) => a + BigInt(b), 0n)).toBe(BigInt(total));
      }),
      RUNS,
    );
  });

  it('each part lies within one fen of its exact share (exact rational check)', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const parts = largestRemainderSplit(total, weights);
        parts.forEach((p, i) => expect(withinOneFen(p, total, weights[i], weights), `part ${i} = ${p} of ${total} by ${weights}`).toBe(true));
      }),
      RUNS,
    );
  });

  it('a zero weight gets nothing; signs follow the total', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const parts = largestRemainderSplit(total, weights);
        parts.forEach((p, i) => {
          if (weights[i] === 0) expect(p).toBe(0);
          if (total >= 0) expect(p).toBeGreaterThanOrEqual(0);
          else expect(p).toBeLessThanOrEqual(0);
        });
      }),
      RUNS,
    );
  });

  it('is deterministic, and a negative total splits as the negation of its absolute value', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const a = largestRemainderSplit(total, weights);
        expect(largestRemainderSplit(total, [...weights])).toEqual(a);
        expect(largestRemainderSplit(total, Float64Array.from(weights))).toEqual(a);
        const neg = largestRemainderSplit(-total, weights);
        expect(neg.map((x) => -x + 0)).toEqual(a.map((x) => x + 0));
      }),
      RUNS,
    );
  });

  it('scaling all weights by a power of two changes nothing', () => {
    fc.assert(
      fc.property(totalArb, intWeights, fc.integer({ min: -20, max: 20 }), (total, weights, k) => {
        expect(largestRemainderSplit(total, weights.map((w) => w * 2 ** k))).toEqual(largestRemainderSplit(total, weights));
      }),
      RUNS,
    );
  });

  it('errors on bad weights and bad totals', () => {
    expect(() => largestRemainderSplit(100, [1, -1])).toThrow(RangeError);
    expect(() => largestRemainderSplit(100, [1, NaN])).toThrow(/weight 1/);
    expect(() => largestRemainderSplit(100, [Infinity, 1])).toThrow(/weight 0/);
    expect(() => largestRemainderSplit(100, [0, 0])).toThrow(RangeError);
    expect(() => largestRemainderSplit(100, [])).toThrow(RangeError);
    expect(() => largestRemainderSplit(1.5, [1, 1])).toThrow(RangeError);
    expect(() => largestRemainderSplit(2 ** 53, [1, 1])).toThrow(RangeError);
    expect(() => largestRemainderSplit(NaN, [1])).toThrow(RangeError);
  });
});

describe('fen helpers', () => {
  it('yuanToFen rounds half away from zero; applyRate rounds to the fen', () => {
    expect(yuanToFen(800)).toBe(80_000);
    expect(yuanToFen(0.005)).toBe(1);
    expect(yuanToFen(-0.005)).toBe(-1);
    expect(yuanToFen(1.234)).toBe(123);
    expect(fenToYuan(33_000)).toBe(330);
    expect(applyRate(60_000, 0.55)).toBe(33_000);
    expect(applyRate(80_000, 0.45)).toBe(36_000);
  });

  it('roundHalfUp (the hot-path rounding) equals Math.round on every non-negative amount but 0.49999999999999994', () => {
    expect(roundHalfUp(2.5)).toBe(3);
    expect(roundHalfUp(0)).toBe(0);
    expect(roundHalfUp(0.49999999999999994)).toBe(1); // the documented exception; Math.round gives 0
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 2 ** 51, noNaN: true }), (x) => roundHalfUp(x) === Math.round(x)),
      { numRuns: 2000 },
    );
    // halves and their neighbours, where a rounding rule shows
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (k) => [k + 0.5, k + 0.49999, k + 0.50001].every((x) => roundHalfUp(x) === Math.round(x))),
      RUNS,
    );
  });
});
