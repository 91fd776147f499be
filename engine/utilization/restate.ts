/**
 * Restating history under later rules (F3's benefit-change adjustment, docs/payment-models.md): the
 * kernel parameters of a capitation base year with its benefit rules — ratios, pre-payment, waiver,
 * eligible share, deductibles, caps, off-site and undesignated reductions — replaced by those of the
 * budget year, month by month, and everything else (who visits where, how often, at what cost) left as
 * it was. Simulated on the same random streams, the base year's patients make exactly the same claims,
 * and only their adjudication changes: the difference is what the rule change costs, computed, not
 * estimated.
 */
import { benefitFields } from '../params/month-table.ts';
import type { KernelParams } from './kernel-params.ts';

/** A fingerprint of the benefit rules in force in simulated year `yi` (equal ⇔ same rules every month). */
export function rulesKey(kp: KernelParams, yi: number): string {
  const R = kp.months.rows;
  const S = kp.months.stride;
  const fields = benefitFields(kp.nMasks);
  const out: number[] = [kp.deductibleFen[yi], kp.capFen[yi], kp.ipCapFen[yi]];
  for (let mo = 0; mo < 12; mo++) for (const f of fields) out.push(R[(yi * 12 + mo) * S + f]);
  return out.join(',');
}

/** A copy of `kp` in which each year of `baseYears` (indices) has the benefit rules of year `rulesYear`. */
export function restateBenefits(kp: KernelParams, rulesYear: number, baseYears: readonly number[]): KernelParams {
  const rows = kp.months.rows.slice();
  const S = kp.months.stride;
  const fields = benefitFields(kp.nMasks);
  const deductibleFen = kp.deductibleFen.slice();
  const capFen = kp.capFen.slice();
  const ipCapFen = kp.ipCapFen.slice();
  for (const yb of baseYears) {
    for (let mo = 0; mo < 12; mo++) for (const f of fields) rows[(yb * 12 + mo) * S + f] = rows[(rulesYear * 12 + mo) * S + f];
    deductibleFen[yb] = deductibleFen[rulesYear];
    capFen[yb] = capFen[rulesYear];
    ipCapFen[yb] = ipCapFen[rulesYear];
  }
  return { ...kp, deductibleFen, capFen, ipCapFen, months: { ...kp.months, rows } };
}
