/**
 * One pass over the claims collecting what the utilization fit needs (docs/replay.md, "Calibrate"):
 * per patient their refill days, other visits and admissions; per patient-year their drug cost and
 * days supplied (with the template's drug price index); by tier the service cost per visit and the
 * days supplied per refill; visits by residence, signing and tier; off-site visits; eligible cost;
 * the cost of each admission. Costs are deflated to the template's costBaseYear.
 */
import { at } from '../../params/param.ts';
import { TIERS, type ScenarioFile } from '../../params/schema.ts';
import { costIndex } from '../../utilization/kernel-params.ts';
import type { Claims } from '../claims.ts';
import type { Enrollment } from '../enrollment.ts';
import { LogStats, MeanStats, RatioStats } from '../estimate.ts';
import { T_TOWNSHIP, T_VILLAGE } from '../values.ts';

export interface ClaimStats {
  /** Service cost (total − drug) per outpatient visit by tier, at base-year prices. */
  service: LogStats[];
  /** Cost per admission, at base-year prices. */
  inpatient: LogStats;
  /** Days supplied per refill visit by tier. */
  refillDays: MeanStats[];
  /** Per person: refill days supplied, non-refill outpatient visits, admissions. */
  refillDaysOf: Float64Array;
  otherVisits: Float64Array;
  admissionsOf: Float64Array;
  /** Per person-year (p × nY + y): drug cost (fen), days supplied, Σ days × drug index × VBP factor. */
  drugFen: Float64Array;
  drugDays: Float64Array;
  drugDeflator: Float64Array;
  /** Outpatient visits by group (urban × 2 + signed) and tier (village, township, hospital). */
  tierVisits: number[][];
  /** Off-site visits by category; hospital-tier visits. */
  offSite: number[];
  hospitalTierVisits: number;
  /** Eligible cost ÷ the cost it applies to, claims as units. */
  eligible: RatioStats;
  outpatient: number;
  admissions: number;
}

export function claimStats(e: Enrollment, claims: Claims, urbanOf: Uint8Array, base: ScenarioFile, y0: number, nY: number): ClaimStats {
  const ci = (ymd: number) => costIndex(base, Math.floor(ymd / 10000), 'service');
  const cip = (ymd: number) => costIndex(base, Math.floor(ymd / 10000), 'inpatient');
  const cd = (ymd: number) => costIndex(base, Math.floor(ymd / 10000), 'drug');
  const vbp = (ymd: number) => {
    const v = base.utilization.vbp ? at(base.utilization.vbp, Math.floor(ymd / 10000), Math.floor(ymd / 100) % 100) : undefined;
    return v ? 1 - v.share * v.priceCut : 1;
  };
  const st: ClaimStats = {
    service: TIERS.map(() => new LogStats()),
    inpatient: new LogStats(),
    refillDays: TIERS.map(() => new MeanStats()),
    refillDaysOf: new Float64Array(e.n),
    otherVisits: new Float64Array(e.n),
    admissionsOf: new Float64Array(e.n),
    drugFen: new Float64Array(e.n * nY),
    drugDays: new Float64Array(e.n * nY),
    drugDeflator: new Float64Array(e.n * nY),
    tierVisits: [0, 1, 2, 3].map(() => [0, 0, 0]),
    offSite: [0, 0, 0, 0],
    hospitalTierVisits: 0,
    eligible: new RatioStats(),
    outpatient: 0,
    admissions: 0,
  };
  for (let i = 0; i < claims.n; i++) {
    const p = claims.person[i];
    const ymd = claims.ymd[i];
    if (claims.inpatient[i] === 1) {
      st.admissions++;
      st.admissionsOf[p]++;
      st.inpatient.add(claims.cost[i] / 100 / cip(ymd));
      continue;
    }
    st.outpatient++;
    const dt = claims.tier[i];
    const t = dt === T_VILLAGE ? 0 : dt === T_TOWNSHIP ? 1 : 2;
    st.tierVisits[urbanOf[p] * 2 + e.signed[p]][t]++;
    if (t === 2) {
      st.hospitalTierVisits++;
      if (claims.offSite[i] >= 0) st.offSite[claims.offSite[i]]++;
    }
    st.service[t].add((claims.cost[i] - claims.drug[i]) / 100 / ci(ymd));
    if (claims.days[i] > 0) {
      st.refillDays[t].add(claims.days[i]);
      st.refillDaysOf[p] += claims.days[i];
      const k = p * nY + (Math.floor(ymd / 10000) - y0);
      st.drugFen[k] += claims.drug[i];
      st.drugDays[k] += claims.days[i];
      st.drugDeflator[k] += claims.days[i] * cd(ymd) * vbp(ymd);
    } else st.otherVisits[p]++;
    if (claims.eligible[i] >= 0) {
      const y = Math.floor(ymd / 10000);
      const mo = Math.floor(ymd / 100) % 100;
      const pre = at(base.benefits.individualPrepayment, y, mo)[TIERS[t]];
      const above = base.benefits.drugAboveStandardShare ? at(base.benefits.drugAboveStandardShare, y, mo) : 0;
      const drugsOnly = base.benefits.eligibleDrugsOnly ? at(base.benefits.eligibleDrugsOnly, y, mo) : false;
      st.eligible.add(claims.eligible[i], (drugsOnly ? claims.drug[i] * (1 - above) : claims.cost[i] - claims.drug[i] * above) * (1 - pre));
    }
  }
  return st;
}
