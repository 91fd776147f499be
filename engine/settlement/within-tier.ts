/**
 * Distribution of a tier's money (e.g. the village tier's retained surplus) to the facilities of
 * that tier, by a key the caller chooses.
 */
import { largestRemainderSplit } from '../money/split.ts';

/**
 * Distribute a tier's money to its facilities in proportion to `weights` (enrolled heads, signed heads
 * or workload: the caller picks the key) by largest remainder, so the parts sum exactly to `amountFen`.
 * When every weight is 0 the amount is split equally (largest remainder on equal weights: the first
 * facilities get the odd fen). A negative amount (money taken back) is split as the negation of the
 * split of its absolute value. No facilities and a zero amount give `[]`.
 *
 * Reference: docs/payment-models.md F3; shares are split by largest remainder (money/split.ts);
 * 芜医保〔2025〕17号 二(四)9 (the retained surplus goes to village clinics and township centres as tiers).
 *
 * @param amountFen the tier's money, integer fen.
 * @param weights one finite weight ≥ 0 per facility.
 * @example distributeWithinTier(48_000_000, [1200, 800, 0]) // [28_800_000, 19_200_000, 0]
 * @example distributeWithinTier(100, [0, 0, 0])              // [34, 33, 33]
 */
export function distributeWithinTier(amountFen: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(amountFen)) throw new RangeError(`amountFen must be an integer number of fen, got ${amountFen}`);
  if (!Array.isArray(weights)) throw new RangeError(`weights must be an array with one weight per facility, got ${weights}`);
  if (weights.length === 0 && amountFen !== 0) {
    throw new RangeError(`weights must name at least one facility to distribute ${amountFen} fen, got an empty array`);
  }
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new RangeError(`weights[${i}] must be a finite number ≥ 0 (heads, signed heads or workload), got ${w}`);
    }
  }
  return _distributeWithinTierCore(amountFen, weights);
}

/** The computation of {@link distributeWithinTier} without checks. */
export function _distributeWithinTierCore(amountFen: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  let sum = 0;
  for (const w of weights) sum += w;
  return largestRemainderSplit(amountFen, sum > 0 ? weights : weights.map(() => 1));
}
