/**
 * Surplus retention (结余留用, F3 of docs/payment-models.md): how a capitation surplus is shared between the
 * community (village clinics, township centres, lead hospital) and the fund.
 */
import { applyRate } from '../money/fen.ts';
import { largestRemainderSplit } from '../money/split.ts';


/** Tolerance on villageShare + townshipShare ≤ 1 for decimal shares such as 0.7 + 0.3. */
const SHARE_SUM_TOLERANCE = 1e-12;

/** How a surplus is retained and split. */
export interface RetentionRule {
  /** Share of the surplus the community retains, in [0, 1]; the rest returns to the fund. */
  retentionRate: number;
  /** Share of the retained surplus for the village tier, in [0, 1]. */
  villageShare: number;
  /** Share of the retained surplus for the township tier, in [0, 1]. */
  townshipShare: number;
}

/** Result of {@link splitSurplus}; every amount is integer fen. */
export interface RetentionSplit {
  /** The surplus that was split. */
  surplusFen: number;
  /** retentionRate × surplus, rounded to the fen. retained + returnedToFund = surplus. */
  retainedFen: number;
  /** surplus − retained: goes back to the fund. */
  returnedToFundFen: number;
  /** Village tier's part of the retained surplus. village + township + lead = retained. */
  villageFen: number;
  /** Township tier's part of the retained surplus. */
  townshipFen: number;
  /** Lead hospital's part: weight 1 − villageShare − townshipShare. */
  leadFen: number;
}

/**
 * Throw a RangeError naming the parameter unless `rule` is a valid retention rule: every share in
 * [0, 1] and villageShare + townshipShare ≤ 1. `path` prefixes the parameter names in messages
 * (e.g. `'retention.'`). Policy floors (Wuhu: village ≥ 40%, township ≥ 30%) are dated parameters of the capitation model, checked when the scenario is validated (payment/capitation/spec.ts).
 *
 * @example assertRetentionRule({ retentionRate: 1, villageShare: 0.4, townshipShare: 0.3 }) // ok
 */
export function assertRetentionRule(rule: RetentionRule, path = ''): void {
  if (rule === null || typeof rule !== 'object') {
    const name = path ? path.replace(/\.$/, '') : 'retention rule';
    throw new RangeError(`${name} must be an object {retentionRate, villageShare, townshipShare}, got ${rule}`);
  }
  const { retentionRate, villageShare, townshipShare } = rule;
  if (!(retentionRate >= 0 && retentionRate <= 1)) {
    throw new RangeError(`${path}retentionRate must be a number in [0, 1] (share of the surplus retained, F3), got ${retentionRate}`);
  }
  if (!(villageShare >= 0 && villageShare <= 1)) {
    throw new RangeError(`${path}villageShare must be a number in [0, 1] (share of the retained surplus, F3), got ${villageShare}`);
  }
  if (!(townshipShare >= 0 && townshipShare <= 1)) {
    throw new RangeError(`${path}townshipShare must be a number in [0, 1] (share of the retained surplus, F3), got ${townshipShare}`);
  }
  if (villageShare + townshipShare > 1 + SHARE_SUM_TOLERANCE) {
    throw new RangeError(
      `${path}villageShare + ${path}townshipShare must be ≤ 1 (the lead hospital gets the rest, F3), got ${villageShare} + ${townshipShare}`,
    );
  }
}

/**
 * Split a capitation surplus, F3: `retained = round(retentionRate × S)`, the rest returns to the fund;
 * the retained part is split village / township / lead with weights
 * `[villageShare, townshipShare, 1 − villageShare − townshipShare]` by largest remainder, so the three
 * sum exactly to `retained`. Each part is at least `floor(retained × share)` of its own share (largest
 * remainder never gives a part less than the floor of its exact quota) and at most one fen above it.
 *
 * Only requires shares in [0, 1] with villageShare + townshipShare ≤ 1; the Wuhu floors (village ≥ 40 %,
 * township ≥ 30 %) are dated parameters of the capitation model, checked when the scenario is validated (payment/capitation/spec.ts).
 *
 * Reference: docs/payment-models.md F3; 芜医保〔2025〕17号 二(四)9 ("结余资金按照村卫生室（社区卫生服务站）不低于40%、
 * 乡镇卫生院（社区卫生服务中心）不低于30%的比例分配").
 *
 * @param surplusFen the surplus S = B − A > 0 (integer fen ≥ 0).
 * @example
 * splitSurplus(120_000_000, { retentionRate: 1, villageShare: 0.4, townshipShare: 0.3 });
 * // { surplusFen: 120_000_000, retainedFen: 120_000_000, returnedToFundFen: 0,
 * //   villageFen: 48_000_000, townshipFen: 36_000_000, leadFen: 36_000_000 }
 */
export function splitSurplus(surplusFen: number, rule: RetentionRule): RetentionSplit {
  if (!Number.isSafeInteger(surplusFen) || surplusFen < 0) {
    throw new RangeError(`surplusFen must be an integer number of fen ≥ 0 (a surplus B − A), got ${surplusFen}`);
  }
  assertRetentionRule(rule);
  return _splitSurplusCore(surplusFen, rule);
}

/** The computation of {@link splitSurplus} without checks. */
export function _splitSurplusCore(surplusFen: number, rule: RetentionRule): RetentionSplit {
  const retainedFen = applyRate(surplusFen, rule.retentionRate);
  const leadShare = Math.max(0, 1 - rule.villageShare - rule.townshipShare);
  // The weights sum to max(1, villageShare + townshipShare) > 0, so the split is always defined.
  const [villageFen, townshipFen, leadFen] = largestRemainderSplit(retainedFen, [rule.villageShare, rule.townshipShare, leadShare]);
  return { surplusFen, retainedFen, returnedToFundFen: surplusFen - retainedFen, villageFen, townshipFen, leadFen };
}

