/**
 * DIP-style scoring (F2 of DESIGN.md): relative weights of disease groups from history weighted 1:2:7,
 * and the cost-deviation (outlier) coefficient of a single case.
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
/** History weights of the last three years, oldest first (F2: 1:2:7). */
export const DIP_YEAR_WEIGHTS: readonly number[] = Object.freeze([1, 2, 7]);

/**
 * Outlier coefficient of a case, F2, from its cost ratio `r` = case cost ÷ last year's same-level
 * mean cost of its group:
 * - r < 0.5 → coefficient r ('low');
 * - 0.5 ≤ r < 2 → coefficient 1 ('normal');
 * - r ≥ 2 → coefficient (r − 2) + 1 ('high'; continuous at r = 2), and r > 5 is also flagged for review.
 *
 * Reference: DESIGN.md F2; 国家医疗保障按病种分值付费（DIP）技术规范 (医保办发〔2020〕50号), 费用偏差病例.
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

/** Result of {@link dipWeights}. */
export interface DipWeights {
  /** RW_i = m_i / M per group. */
  rw: number[];
  /** m_i: each group's history-weighted mean cost, Σ_y w_y m_iy / Σ_y w_y. */
  groupMeanCost: number[];
  /** M: the case-weighted mean of the m_i, Σ n_i m_i / Σ n_i (plain mean of the m_i without counts). */
  overallMeanCost: number;
}

/**
 * DIP relative weights, F2: `RW_i = m_i / M`.
 *
 * - `m_i = (1·m_i,oldest + 2·m_i,middle + 7·m_i,latest) / 10`: the group's mean cost over the last three
 *   years weighted 1:2:7 (`yearWeights`, oldest first).
 * - `M = Σ_i n_i · m_i / Σ_i n_i`: the mean cost of all cases, i.e. the group means weighted by the case
 *   counts `n_i` (`caseCounts`, e.g. last year's cases per group). Without `caseCounts` every group
 *   counts once and M is the plain mean of the m_i. With one count vector for all years this equals the
 *   1:2:7-weighted mean of the yearly all-case means, so history weighting and case weighting commute.
 *
 * Hence Σ n_i·RW_i = Σ n_i: the weights are a pure relative scale. Costs may be in yuan or fen (RW is
 * unitless).
 *
 * Reference: DESIGN.md F2; 国家医疗保障按病种分值付费（DIP）技术规范 (医保办发〔2020〕50号), 病种分值计算.
 *
 * @param groupMeanCostsByYear per group, its mean cost per case in each year, oldest first (finite ≥ 0).
 * @param caseCounts optional cases per group (finite ≥ 0, positive total) weighting M.
 * @param yearWeights history weights, oldest first (default 1:2:7); one per year.
 * @example dipWeights([[100, 100, 100], [300, 300, 300]])      // { rw: [0.5, 1.5], groupMeanCost: [100, 300], overallMeanCost: 200 }
 * @example dipWeights([[100, 100, 100], [300, 300, 300]], [3, 1]).rw // [0.6666…, 2]  (M = 150)
 */
export function dipWeights(
  groupMeanCostsByYear: readonly (readonly number[])[],
  caseCounts?: readonly number[],
  yearWeights: readonly number[] = DIP_YEAR_WEIGHTS,
): DipWeights {
  if (!Array.isArray(yearWeights) || yearWeights.length === 0) {
    throw new RangeError(`yearWeights must list one weight per year (F2: 1:2:7), got ${yearWeights}`);
  }
  let ysum = 0;
  for (let y = 0; y < yearWeights.length; y++) {
    const w = yearWeights[y];
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`yearWeights[${y}] must be a finite number ≥ 0, got ${w}`);
    ysum += w;
  }
  if (!(ysum > 0)) throw new RangeError(`yearWeights must have a positive total, got ${yearWeights.join(':')}`);
  if (!Array.isArray(groupMeanCostsByYear) || groupMeanCostsByYear.length === 0) {
    throw new RangeError('groupMeanCostsByYear must list at least one group, got none');
  }
  for (let i = 0; i < groupMeanCostsByYear.length; i++) {
    const g = groupMeanCostsByYear[i];
    if (!Array.isArray(g) || g.length !== yearWeights.length) {
      throw new RangeError(
        `groupMeanCostsByYear[${i}] must list ${yearWeights.length} yearly mean costs, oldest first (F2), got ${Array.isArray(g) ? g.length : g}`,
      );
    }
    for (let y = 0; y < g.length; y++) {
      if (!(g[y] >= 0) || !Number.isFinite(g[y])) {
        throw new RangeError(`groupMeanCostsByYear[${i}][${y}] must be a finite mean cost ≥ 0, got ${g[y]}`);
      }
    }
  }
  if (caseCounts !== undefined) {
    if (!Array.isArray(caseCounts) || caseCounts.length !== groupMeanCostsByYear.length) {
      throw new RangeError(
        `caseCounts must have one entry per group (${groupMeanCostsByYear.length}), got ${Array.isArray(caseCounts) ? caseCounts.length : caseCounts}`,
      );
    }
    let nsum = 0;
    for (let i = 0; i < caseCounts.length; i++) {
      if (!(caseCounts[i] >= 0) || !Number.isFinite(caseCounts[i])) {
        throw new RangeError(`caseCounts[${i}] must be a finite number ≥ 0, got ${caseCounts[i]}`);
      }
      nsum += caseCounts[i];
    }
    if (!(nsum > 0)) throw new RangeError('caseCounts must have a positive total (M is the mean cost over all cases, F2), got 0');
  }
  const result = _dipWeightsCore(groupMeanCostsByYear, caseCounts, yearWeights);
  if (!(result.overallMeanCost > 0)) {
    throw new RangeError('groupMeanCostsByYear must give a positive overall mean cost M (RW_i = m_i / M, F2), got 0');
  }
  return result;
}

/** The computation of {@link dipWeights} without checks (M may be 0, giving non-finite RW). */
export function _dipWeightsCore(
  groupMeanCostsByYear: readonly (readonly number[])[],
  caseCounts: readonly number[] | undefined,
  yearWeights: readonly number[],
): DipWeights {
  let ysum = 0;
  for (const w of yearWeights) ysum += w;
  const groupMeanCost = groupMeanCostsByYear.map((g) => {
    let s = 0;
    for (let y = 0; y < g.length; y++) s += yearWeights[y] * g[y];
    return s / ysum;
  });
  let num = 0;
  let den = 0;
  for (let i = 0; i < groupMeanCost.length; i++) {
    const n = caseCounts === undefined ? 1 : caseCounts[i];
    num += n * groupMeanCost[i];
    den += n;
  }
  const overallMeanCost = num / den;
  return { rw: groupMeanCost.map((m) => m / overallMeanCost), groupMeanCost, overallMeanCost };
}
