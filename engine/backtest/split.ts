/**
 * The replayed data cut at a year (docs/replay.md, "Back-test"): the claims of some of the period's
 * years, the same enrollment, facilities and sources. Nothing is rejected: the claims of the other
 * years are simply not in the part.
 */
import type { Claims } from '../replay/claims.ts';
import type { ReplayData } from '../replay/replay.ts';

/** The data restricted to the claims of `first … last` (calendar years, inclusive). */
export function dataWithinYears(data: ReplayData, first: number, last: number): ReplayData {
  const c = data.claims;
  const lo = first * 10000 + 101;
  const hi = last * 10000 + 1231;
  const keep: number[] = [];
  for (let i = 0; i < c.n; i++) if (c.ymd[i] >= lo && c.ymd[i] <= hi) keep.push(i);
  const pick = <T extends Int32Array | Int8Array | Uint8Array | Float64Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(keep.length);
    keep.forEach((i, k) => (out[k] = a[i]));
    return out;
  };
  let minYmd = 0;
  let maxYmd = 0;
  for (const i of keep) {
    if (minYmd === 0 || c.ymd[i] < minYmd) minYmd = c.ymd[i];
    if (c.ymd[i] > maxYmd) maxYmd = c.ymd[i];
  }
  const claims: Claims = {
    n: keep.length,
    person: pick(c.person),
    ymd: pick(c.ymd),
    facility: pick(c.facility),
    tier: pick(c.tier),
    inpatient: pick(c.inpatient),
    offSite: pick(c.offSite),
    cost: pick(c.cost),
    eligible: pick(c.eligible),
    fund: pick(c.fund),
    patient: pick(c.patient),
    drug: pick(c.drug),
    days: pick(c.days),
    row: pick(c.row),
    has: { ...c.has },
    minYmd,
    maxYmd,
  };
  const years = data.years.filter((y) => y >= first && y <= last);
  return { ...data, claims, years };
}
