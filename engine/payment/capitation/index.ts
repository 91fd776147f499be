/** Capitation as a payment-model plugin (payment/model.ts; rules in pay.ts, format in spec.ts). */
import { at } from '../../params/param.ts';
import { pilotCommunities } from '../../population/region.ts';
import { Metric } from '../../utilization/metrics.ts';
import type { PaymentPlugin } from '../model.ts';
import { baseYearsOf, capitation, type CapitationYearDetail } from './pay.ts';
import type { CapitationSpec } from './spec.ts';

export { capitation, capitationFigures, _capitationCore, type CapitationYearDetail, type CommunitySettlement } from './pay.ts';

export const capitationPlugin: PaymentPlugin<CapitationSpec, CapitationYearDetail> = {
  type: 'capitation',
  label: { zh: '按人头付费', en: 'Capitation' },
  stages: ['capitation', 'surplusReturned', 'overspendPaid'],
  figureLabels: {
    pilotCommunities: { zh: '试点医共体数', en: 'Pilot communities', unit: 'count' },
    heads: { zh: '包干人头数', en: 'Capitated heads', unit: 'count' },
    budget: { zh: '打包预算', en: 'Capitation budget', unit: 'yuan' },
    actual: { zh: '实际基金负担费用', en: 'Actual fund-liable cost', unit: 'yuan' },
    surplus: { zh: '结余', en: 'Surplus', unit: 'yuan' },
    overspend: { zh: '超支', en: 'Overspend', unit: 'yuan' },
    retained: { zh: '留用结余', en: 'Surplus retained', unit: 'yuan' },
    returnedToFund: { zh: '返还基金', en: 'Returned to the fund', unit: 'yuan' },
    villageRetained: { zh: '村卫生室留用', en: 'Retained by village clinics', unit: 'yuan' },
    townshipRetained: { zh: '乡镇卫生院留用', en: 'Retained by township centres', unit: 'yuan' },
    leadRetained: { zh: '牵头医院留用', en: 'Retained by the lead hospital', unit: 'yuan' },
    leadOverspend: { zh: '牵头医院分担超支', en: 'Overspend borne by the lead hospital', unit: 'yuan' },
    fundOverspend: { zh: '基金分担超支', en: 'Overspend borne by the fund', unit: 'yuan' },
    matchingPaid: { zh: '公卫配套资金拨付', en: 'Public-health matching funds paid', unit: 'yuan' },
    communitiesInOverspend: { zh: '超支医共体数', en: 'Communities in overspend', unit: 'count' },
  },
  // The pilot communities' blocks are read from the first history year; the others from the horizon.
  firstYearRead(spec, region, horizonStart, block) {
    return pilotCommunities(region, spec.pilotCounties)[block.community] === 1 ? 0 : horizonStart;
  },
  behaviour(spec, s, region) {
    const u = spec.behaviour?.underService;
    const r = spec.behaviour?.referralOut;
    const g = spec.behaviour?.managementSavings;
    if (!u && !r && !g) return null;
    return {
      modifier: {
        consultFactor: u ? (y, mo) => 1 - at(u, y, mo) : undefined,
        primaryShift: r ? (y, mo) => -at(r, y, mo) : undefined,
        admissionFactor: g ? (y, mo) => 1 - at(g, y, mo) : undefined,
      },
      communities: pilotCommunities(region, spec.pilotCounties),
      fromYear: spec.startYear ?? s.horizon.startYear,
    };
  },
  // The budget of each year it pays restates its base years under that year's benefit rules (F3).
  restatements(spec, s, years, horizonStart) {
    if (spec.budget.benefitChange !== 'restate') return [];
    const start = spec.startYear === undefined ? horizonStart : years.indexOf(spec.startYear);
    const out = [];
    for (let t = start; t < years.length; t++) out.push({ rulesYear: t, baseYears: baseYearsOf(spec, t, start) });
    return out;
  },
  create: (spec, _s, region) => capitation(spec, region),
  settlementTable: () => ({
    title: 'Capitation settlement of the pilot communities (mean, 万元)',
    columns: [
      { label: 'capitation budget', value: (y) => y.settlement.budget?.mean ?? 0, format: 'wan' },
      { label: 'actual', value: (y) => y.settlement.actual?.mean ?? 0, format: 'wan' },
      { label: 'surplus', value: (y) => y.settlement.surplus?.mean ?? 0, format: 'wan' },
      { label: 'overspend', value: (y) => y.settlement.overspend?.mean ?? 0, format: 'wan' },
      { label: 'village kept', value: (y) => y.settlement.villageRetained?.mean ?? 0, format: 'wan' },
      { label: 'township kept', value: (y) => y.settlement.townshipRetained?.mean ?? 0, format: 'wan' },
      { label: 'lead kept', value: (y) => y.settlement.leadRetained?.mean ?? 0, format: 'wan' },
      { label: 'lead bears', value: (y) => y.settlement.leadOverspend?.mean ?? 0, format: 'wan' },
      { label: 'fund bears', value: (y) => y.settlement.fundOverspend?.mean ?? 0, format: 'wan' },
      {
        label: 'P(overspend)',
        value: (y) => {
          const n = y.settlement.pilotCommunities?.mean ?? 0;
          return n > 0 ? (y.settlement.communitiesInOverspend?.mean ?? 0) / n : 0;
        },
        format: 'ratio',
      },
    ],
  }),
  explain({ spec, input, result, f, metric, param, yuan }) {
    const { region } = input;
    const fac = region.facilities[f];
    const comm = fac.community >= 0 ? region.communities[fac.community] : undefined;
    const cs = comm ? result.detail?.communities.find((x) => x.community === comm.id) : undefined;
    if (!cs) return ["2. This facility is outside the capitation pilot: its claims are paid fee-for-service", `   payment = ${yuan(result.fundToFacilityFen[f])}`];
    const L = [`2. Capitation of community ${cs.community} (F3, docs/payment-models.md; 芜医保〔2025〕17号 二(四)9)`];
    L.push(`   per-capita amount from the prior ${spec.historyYears} years (${spec.rebase}), covering ${spec.covers}; benefit change: ${spec.budget.benefitChange}, trend: ${spec.budget.trend}:`);
    for (const h of cs.history) {
      const perHead = (fen: number) => yuan(h.enrollees ? fen / h.enrollees : 0);
      L.push(`     ${h.year}: ${h.enrollees} heads; fund paid ${yuan(h.fundPaidFen)} (${perHead(h.fundPaidFen)} per head)`);
      L.push(`           under this year's rules ${yuan(h.restatedFen)} (benefit-change adjustment ${perHead(h.restatedFen - h.fundPaidFen)} per head)`);
      L.push(`           at this year's prices (outpatient × ${h.outpatientTrend.toFixed(4)}, inpatient × ${h.inpatientTrend.toFixed(4)}) ${yuan(h.trendedFen)} = ${perHead(h.trendedFen)} per head`);
    }
    L.push(`   ${param('trendFactor', spec.trendFactor)}`);
    L.push(`   per-capita c = mean per head × trendFactor = ${yuan(cs.perCapitaFen)}`);
    L.push(`   budget B = c × ${cs.heads} enrolled heads = ${yuan(cs.budgetFen)}`);
    L.push(`   actual fund-liable cost A (all its patients' claims, wherever treated) = ${yuan(cs.actualFen)}`);
    if (cs.surplusFen > 0) {
      L.push(`   surplus S = B − A = ${yuan(cs.surplusFen)}`);
      L.push(`   ${param('retentionRate', spec.retention.retentionRate)}`);
      L.push(`   retained ${yuan(cs.retainedFen)}, returned to the fund ${yuan(cs.returnedToFundFen)}`);
      L.push(`   ${param('villageShare', spec.retention.villageShare)} → village clinics ${yuan(cs.villageFen)}`);
      L.push(`   ${param('townshipShare', spec.retention.townshipShare)} → township centres ${yuan(cs.townshipFen)}`);
      L.push(`   the lead hospital gets the rest → ${yuan(cs.leadFen)}`);
      L.push(`   within a tier, by ${spec.withinTierKey} (largest remainder)`);
    } else if (cs.overspendFen > 0) {
      L.push(`   overspend O = A − B = ${yuan(cs.overspendFen)}`);
      L.push(`   ${param('leadShare', spec.overspend.leadShare)}${spec.overspend.leadCap ? `; ${param('leadCap', spec.overspend.leadCap)}` : ''}`);
      L.push(`   lead hospital bears ${yuan(cs.leadOverspendFen)}, the fund ${yuan(cs.fundOverspendFen)}`);
    } else L.push('   B = A: no surplus, no overspend');
    L.push(`   public-health matching funds ${yuan(cs.matchingFen)} (${param('matchingShare', spec.publicHealth.matchingShare)}), paid × assessment score = ${yuan(cs.matchingPaidFen)}`);
    L.push(`   fund outlay for the community = B − returned + fund's overspend share = ${yuan(cs.fundOutlayFen)}`);
    L.push('');
    const claims = metric(Metric.opFund) + metric(Metric.ipFund);
    L.push(`3. This facility: claims' fund share ${yuan(claims)} + settlement ${yuan(result.fundToFacilityFen[f] - claims)} = ${yuan(result.fundToFacilityFen[f])} from the fund; matching funds ${yuan(result.otherToFacilityFen?.[f] ?? 0)}`);
    return L;
  },
};
