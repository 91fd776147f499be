/**
 * Capitation (按人头付费 / 打包付费) for medical communities' enrolled chronic patients, F3 of
 * docs/payment-models.md after 芜医保〔2025〕17号 二(四)9 (seeds/003).
 *
 * Each pilot community gets a budget B = per-capita amount × enrolled heads, the per-capita amount
 * being the mean over the prior `historyYears` of (fund payments for its patients ÷ heads) × trend.
 * Its patients' claims are paid as usual (by the community inside the pilot, by the fund elsewhere)
 * and charged against B; at year end the actual fund-liable cost A (all its patients' claims, wherever
 * treated) is settled: a surplus is retained (`retentionRate`) and split village ≥ 40%, township ≥ 30%,
 * lead hospital the rest, each tier's part spread over its facilities by `withinTierKey`; the
 * unretained part returns to the fund; an overspend is shared between the lead hospital (optionally
 * capped) and the fund. Public-health matching funds (≥ 10% of basic public-health funds) are paid
 * with it, scaled by the assessment score, to the primary facilities by signed heads (assumption).
 * Communities outside the pilot stay fee-for-service, and so does everyone before `startYear`.
 *
 * Accounting per pilot community: fund outlay = A + retained − lead's overspend share
 * = B − returned + fund's overspend share (exact in fen).
 */
import { applyRate, roundHalfUp, yuanToFen } from '../../money/fen.ts';
import { at } from '../../params/param.ts';
import type { Region } from '../../population/region.ts';
import { _capitationBudgetCore } from '../../settlement/capitation-budget.ts';
import { _perCapitaAmountCore } from '../../settlement/capitation-rate.ts';
import { _settleCapitationCore } from '../../settlement/capitation-settlement.ts';
import { distributeWithinTier } from '../../settlement/within-tier.ts';
import { Metric } from '../../utilization/metrics.ts';
import { pilotCommunities } from '../../population/region.ts';
import { payClaimsFundShare } from '../claims-fund.ts';
import type { PaymentInput, PaymentModel, PaymentResult } from '../model.ts';
import type { CapitationSpec } from './spec.ts';

/** One community's capitation settlement for a year (F3). All amounts fen. */
export interface CommunitySettlement {
  community: string;
  heads: number;
  /**
   * The base years the per-capita amount came from: year, enrolled heads, fund payments as paid,
   * restated under the budget year's rules, and trended to the budget year's prices (outpatient and
   * inpatient trend factors).
   */
  history: { year: number; enrollees: number; fundPaidFen: number; restatedFen: number; trendedFen: number; outpatientTrend: number; inpatientTrend: number }[];
  trendFactor: number;
  perCapitaFen: number;
  budgetFen: number;
  actualFen: number;
  surplusFen: number;
  overspendFen: number;
  retainedFen: number;
  returnedToFundFen: number;
  villageFen: number;
  townshipFen: number;
  leadFen: number;
  leadOverspendFen: number;
  fundOverspendFen: number;
  matchingFen: number;
  matchingPaidFen: number;
  fundOutlayFen: number;
}

export interface CapitationYearDetail {
  kind: 'capitation';
  communities: CommunitySettlement[];
  rule: { retentionRate: number; villageShare: number; townshipShare: number; leadShare: number; leadCapFen: number | null; withinTierKey: string };
}

/** The base years (simulated-year indices) of the budget of year `t`: rolling, the years just before it; fixed, those before the pilot's start. */
export function baseYearsOf(spec: CapitationSpec, t: number, startYi: number): number[] {
  const end = spec.rebase === 'rolling' ? t : startYi;
  const out: number[] = [];
  for (let yi = Math.max(0, end - spec.historyYears); yi < end; yi++) out.push(yi);
  return out;
}

export function capitation(spec: CapitationSpec, region: Region): PaymentModel<CapitationYearDetail> {
  const pilot = pilotCommunities(region, spec.pilotCounties);
  // Residents of each community (for public-health funds): its blocks' residents.
  const residents = new Float64Array(region.communities.length);
  for (const b of region.blocks) residents[b.community] += b.residents.reduce((a, x) => a + x, 0);
  return { name: spec.name, type: 'capitation', payYear: (input) => _capitationCore(spec, pilot, residents, input) };
}

export function _capitationCore(spec: CapitationSpec, pilot: Uint8Array, residents: Float64Array, input: PaymentInput): PaymentResult<CapitationYearDetail> {
  const { region, agg, yearIndex, year, years } = input;
  const nF = region.facilities.length;
  const nm = input.layout.nm;
  const ffs = payClaimsFundShare(input);
  // Before the pilot starts, fee-for-service.
  const startYi = spec.startYear === undefined ? input.horizonStart : years.indexOf(spec.startYear);
  if (yearIndex < startYi) return ffs as PaymentResult<CapitationYearDetail>;
  const pay = ffs.fundToFacilityFen;
  const other = new Float64Array(nF);
  const includeIp = spec.covers === 'outpatientAndInpatient';
  const at1 = <T>(p: Parameters<typeof at<T>>[0]) => at(p, year);
  const rule = {
    retentionRate: at1(spec.retention.retentionRate),
    villageShare: at1(spec.retention.villageShare),
    townshipShare: at1(spec.retention.townshipShare),
  };
  const leadShare = at1(spec.overspend.leadShare);
  const leadCapFen = spec.overspend.leadCap ? yuanToFen(at1(spec.overspend.leadCap)) : null;
  const trend = at1(spec.trendFactor);
  const metric = (f: number, yi: number, m: number) => agg[(yi * nF + f) * nm + m];
  const homeFund = (villages: number[], yi: number) => villages.reduce((a, v) => a + metric(v, yi, Metric.homeOpFund) + (includeIp ? metric(v, yi, Metric.homeIpFund) : 0), 0);
  const sumOf = (a: Float64Array, fs: number[], yi: number, m: number) => fs.reduce((s, f) => s + a[(yi * nF + f) * nm + m], 0);
  const { drug: dIdx, service: sIdx, inpatient: iIdx } = input.priceIndex;
  const trended = spec.budget.trend === 'costIndex';
  const heads = (villages: number[], yi: number) => villages.reduce((a, v) => a + metric(v, yi, Metric.patients), 0);
  const key = (f: number, villagesOf: number[]) => {
    const fs = region.facilities[f].tier === 'village' ? [f] : villagesOf;
    if (spec.withinTierKey === 'signed') return fs.reduce((a, v) => a + metric(v, yearIndex, Metric.signed), 0);
    if (spec.withinTierKey === 'workload') return metric(f, yearIndex, Metric.visits);
    return fs.reduce((a, v) => a + metric(v, yearIndex, Metric.patients), 0);
  };

  const communities: CommunitySettlement[] = [];
  let extra = 0;
  region.communities.forEach((c, ci) => {
    if (pilot[ci] !== 1) return;
    // Per-capita amount from the prior years: rolling (the years just before this one) or fixed
    // (the years before the horizon).
    // Each base year's fund payments for the community's patients: restated under this year's benefit
    // rules (the same claims adjudicated anew, utilization/restate.ts), then trended to this year's
    // prices — outpatient by the drug and service indices weighted by the year's drug share of the
    // community's outpatient cost, inpatient by the inpatient index (F3, docs/payment-models.md).
    const facs = [...c.villages, ...c.townships, c.lead];
    const history = baseYearsOf(spec, yearIndex, startYi).map((yb) => {
      const r = spec.budget.benefitChange === 'restate' && input.restated ? input.restated(yearIndex, yb) : agg;
      const op = sumOf(r, c.villages, yb, Metric.homeOpFund);
      const ip = includeIp ? sumOf(r, c.villages, yb, Metric.homeIpFund) : 0;
      const opCost = sumOf(agg, facs, yb, Metric.opCost);
      const ds = opCost > 0 ? sumOf(agg, facs, yb, Metric.drugCost) / opCost : 0;
      const outpatientTrend = trended ? ds * (dIdx[yearIndex] / dIdx[yb]) + (1 - ds) * (sIdx[yearIndex] / sIdx[yb]) : 1;
      const inpatientTrend = trended ? iIdx[yearIndex] / iIdx[yb] : 1;
      return { year: years[yb], enrollees: heads(c.villages, yb), fundPaidFen: homeFund(c.villages, yb), restatedFen: op + ip, trendedFen: roundHalfUp(op * outpatientTrend + ip * inpatientTrend), outpatientTrend, inpatientTrend };
    });
    const usable = history.filter((h) => h.enrollees > 0).map((h) => ({ fundPaidFen: h.trendedFen, enrollees: h.enrollees }));
    const perCapitaFen = usable.length > 0 ? _perCapitaAmountCore(usable, trend) : 0;
    const n = heads(c.villages, yearIndex);
    const budget = _capitationBudgetCore({
      perCapitaFen,
      heads: n,
      publicHealthFundsFen: applyRate(yuanToFen(at1(spec.publicHealth.fundsPerResident)), residents[ci]),
      matchingShare: at1(spec.publicHealth.matchingShare),
      assessmentScore: at1(spec.publicHealth.assessmentScore),
    });
    const actual = homeFund(c.villages, yearIndex);
    const st = _settleCapitationCore({ budgetFen: budget.capitationFen, actualFen: actual, retention: rule, overspend: { leadShare, leadCapFen: leadCapFen ?? undefined } });
    const villagesOfTownship = (t: number) => c.villages.filter((v) => region.facilities[v].township === t);
    if (st.retention) {
      distributeWithinTier(st.retention.villageFen, c.villages.map((v) => key(v, []))).forEach((x, i) => (pay[c.villages[i]] += x));
      distributeWithinTier(st.retention.townshipFen, c.townships.map((t) => key(t, villagesOfTownship(t)))).forEach((x, i) => (pay[c.townships[i]] += x));
      pay[c.lead] += st.retention.leadFen;
      extra += st.retention.retainedFen;
    }
    if (st.overspendShare) {
      pay[c.lead] -= st.overspendShare.leadFen;
      extra -= st.overspendShare.leadFen;
    }
    const primary = [...c.villages, ...c.townships];
    distributeWithinTier(budget.matchingPaidFen, primary.map((f) => (region.facilities[f].tier === 'village' ? metric(f, yearIndex, Metric.signed) : 0) + (region.facilities[f].tier === 'township' ? villagesOfTownship(f).reduce((a, v) => a + metric(v, yearIndex, Metric.signed), 0) : 0))).forEach((x, i) => (other[primary[i]] += x));
    communities.push({
      community: c.id,
      heads: n,
      history,
      trendFactor: trend,
      perCapitaFen,
      budgetFen: budget.capitationFen,
      actualFen: actual,
      surplusFen: st.surplusFen,
      overspendFen: st.overspendFen,
      retainedFen: st.retention?.retainedFen ?? 0,
      returnedToFundFen: st.retention?.returnedToFundFen ?? 0,
      villageFen: st.retention?.villageFen ?? 0,
      townshipFen: st.retention?.townshipFen ?? 0,
      leadFen: st.retention?.leadFen ?? 0,
      leadOverspendFen: st.overspendShare?.leadFen ?? 0,
      fundOverspendFen: st.overspendShare?.fundFen ?? 0,
      matchingFen: budget.matchingFen,
      matchingPaidFen: budget.matchingPaidFen,
      fundOutlayFen: st.fundOutlayFen,
    });
  });
  const figures = capitationFigures(communities);
  const fundOutlayFen = ffs.fundOutlayFen + extra;
  return {
    fundToFacilityFen: pay,
    fundOutlayFen,
    claimsFundFen: ffs.claimsFundFen,
    otherToFacilityFen: other,
    figures,
    // Claims of patients outside the pilot, the budgets, minus surplus returned, plus the fund's overspend share.
    stages: {
      claims: ffs.claimsFundFen - figures.actualFen,
      capitation: figures.budgetFen,
      surplusReturned: -figures.returnedToFundFen,
      overspendPaid: figures.fundOverspendFen,
    },
    detail: { kind: 'capitation', communities, rule: { ...rule, leadShare, leadCapFen, withinTierKey: spec.withinTierKey } },
  };
}

/** The year's settlement figures, summed over the pilot communities (summary.json `settlement`). */
export function capitationFigures(communities: CommunitySettlement[]): Record<string, number> {
  const sum = (k: keyof CommunitySettlement) => communities.reduce((a, c) => a + (c[k] as number), 0);
  return {
    pilotCommunities: communities.length,
    heads: sum('heads'),
    budgetFen: sum('budgetFen'),
    actualFen: sum('actualFen'),
    surplusFen: sum('surplusFen'),
    overspendFen: sum('overspendFen'),
    retainedFen: sum('retainedFen'),
    returnedToFundFen: sum('returnedToFundFen'),
    villageRetainedFen: sum('villageFen'),
    townshipRetainedFen: sum('townshipFen'),
    leadRetainedFen: sum('leadFen'),
    leadOverspendFen: sum('leadOverspendFen'),
    fundOverspendFen: sum('fundOverspendFen'),
    matchingPaidFen: sum('matchingPaidFen'),
    communitiesInOverspend: communities.filter((c) => c.overspendFen > 0).length,
  };
}
