/**
 * Overspend sharing (超支分担, F3 of docs/payment-models.md): how a capitation overspend is borne by the community's
 * lead hospital and the fund.
 */
import { applyRate } from '../money/fen.ts';

/** How an overspend is shared. */
export interface OverspendRule {
  /** Share of the overspend the lead hospital bears, in [0, 1]. */
  leadShare: number;
  /** Optional cap on the lead hospital's part, integer fen ≥ 0; no cap when absent. */
  leadCapFen?: number;
}

/** Result of {@link shareOverspend}; every amount is integer fen, lead + fund = overspend. */
export interface OverspendShare {
  /** The overspend that was shared. */
  overspendFen: number;
  /** min(cap, round(leadShare × overspend)). */
  leadFen: number;
  /** overspend − lead: borne by the fund. */
  fundFen: number;
}

/**
 * Throw a RangeError naming the parameter unless `rule` is a valid overspend rule: leadShare in [0, 1]
 * and, when present, leadCapFen an integer ≥ 0. `path` prefixes the names in messages (e.g. `'overspend.'`).
 *
 * @example assertOverspendRule({ leadShare: 0.5, leadCapFen: 10_000_000 }) // ok
 */
export function assertOverspendRule(rule: OverspendRule, path = ''): void {
  if (rule === null || typeof rule !== 'object') {
    throw new RangeError(`${path ? path.replace(/\.$/, '') : 'overspend rule'} must be an object {leadShare, leadCapFen?}, got ${rule}`);
  }
  if (!(rule.leadShare >= 0 && rule.leadShare <= 1)) {
    throw new RangeError(`${path}leadShare must be a number in [0, 1] (lead hospital's share of the overspend, F3), got ${rule.leadShare}`);
  }
  if (rule.leadCapFen !== undefined && (!Number.isSafeInteger(rule.leadCapFen) || rule.leadCapFen < 0)) {
    throw new RangeError(
      `${path}leadCapFen must be an integer number of fen ≥ 0 when given (cap on the lead hospital's part), got ${rule.leadCapFen}`,
    );
  }
}

/**
 * Share a capitation overspend, F3: the lead hospital bears `min(cap, round(leadShare × O))`, the fund
 * the rest, so lead + fund = O exactly.
 *
 * Reference: docs/payment-models.md F3; 芜医保〔2025〕17号 二(四)9 ("超支部分实行医保基金、医共体牵头单位按比例分担").
 * The cap is a modelling option (docs/payment-models.md F3, "optionally capped"), not a Wuhu rule.
 *
 * @param overspendFen the overspend O = A − B > 0 (integer fen ≥ 0).
 * @example
 * shareOverspend(1_000_000, { leadShare: 0.3 });                      // { overspendFen: 1_000_000, leadFen: 300_000, fundFen: 700_000 }
 * shareOverspend(1_000_000, { leadShare: 0.3, leadCapFen: 200_000 }); // { overspendFen: 1_000_000, leadFen: 200_000, fundFen: 800_000 }
 */
export function shareOverspend(overspendFen: number, rule: OverspendRule): OverspendShare {
  if (!Number.isSafeInteger(overspendFen) || overspendFen < 0) {
    throw new RangeError(`overspendFen must be an integer number of fen ≥ 0 (an overspend A − B), got ${overspendFen}`);
  }
  assertOverspendRule(rule);
  return _shareOverspendCore(overspendFen, rule);
}

/** The computation of {@link shareOverspend} without checks. */
export function _shareOverspendCore(overspendFen: number, rule: OverspendRule): OverspendShare {
  const proportional = applyRate(overspendFen, rule.leadShare);
  const leadFen = rule.leadCapFen === undefined ? proportional : Math.min(rule.leadCapFen, proportional);
  return { overspendFen, leadFen, fundFen: overspendFen - leadFen };
}
