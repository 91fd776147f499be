// Capitation (F3) in the pipeline: accounting identities of every replication-year, the per-community
// settlement (history → per-capita amount → budget → surplus split or overspend sharing) and where the
// money goes, on a tiny two-county region (a, b: one community each, 2 replications, 2 years + 3
// history years). The pure settlement functions are tested in test/settlement/.
import { beforeAll, describe, expect, it } from 'vitest';
import { applyRate, yuanToFen } from '../../engine/money/fen.ts';
import type { LoadedScenario } from '../../engine/params/load.ts';
import type { CapitationYearDetail, CommunitySettlement, PaymentResult } from '../../engine/payment/index.ts';
import { runScenario, type RunResult } from '../../engine/run/run-scenario.ts';
import type { ModelYear } from '../../engine/ledger/results.ts';
import { Metric } from '../../engine/utilization/metrics.ts';
import { capitationYaml, ffsYaml, internals, scenario, sum, type CapitationOptions, type Internals } from '../helpers/payment.ts';

const LEAD_CAP_YUAN = 20_000;
const MODELS: Record<string, CapitationOptions> = {
  // forced surplus: budget 1.5 × the history; 80% retained, split 45 / 35 / 20, by signed heads
  'cap-surplus': { trendFactor: 1.5, retentionRate: 0.8, villageShare: 0.45, townshipShare: 0.35, withinTierKey: 'signed' },
  // forced overspend: budget 0.7 × the history; the lead bears 60%, at most 20,000 yuan per community
  'cap-over': { trendFactor: 0.7, leadShare: 0.6, leadCap: LEAD_CAP_YUAN },
  'cap-over-uncapped': { trendFactor: 0.7, leadShare: 0.6 },
  // only county a in the pilot, retention by workload
  'cap-a': { pilotCounties: ['a'], trendFactor: 1.3, withinTierKey: 'workload' },
  // per-capita amount fixed on the years before the horizon, outpatient only; village + township = 1 (lead gets nothing)
  'cap-fixed': { rebase: 'fixed', trendFactor: 1.2, covers: 'outpatient', villageShare: 0.5, townshipShare: 0.5 },
};
const NAMES = Object.keys(MODELS);
const HORIZON = [2025, 2026];

describe('capitation in the pipeline (two counties of 20,000, 2 replications, 2 years)', () => {
  let loaded: LoadedScenario;
  let run: RunResult;
  let reps: Internals[];
  beforeAll(async () => {
    loaded = scenario([ffsYaml(), ...NAMES.map((name) => capitationYaml({ name, ...MODELS[name] }))], {
      counties: [
        { id: 'a', residents: 20_000, urbanShare: 0.4 },
        { id: 'b', residents: 20_000, urbanShare: 0.6 },
      ],
      replications: 2,
      years: 2,
    });
    run = await runScenario(loaded, { workers: 1 });
    reps = [internals(loaded, 0), internals(loaded, 1)];
  });

  const modelYears = (name: string): ModelYear[] => run.replications.flatMap((r) => r.models.find((m) => m.name === name)!.years);
  /** Every (replication, horizon year) of model `name` through the internals, with the ffs payment of the same claims. */
  const each = (name: string, f: (x: { I: Internals; hi: number; res: PaymentResult; detail: CapitationYearDetail; ffs: PaymentResult; rep: number }) => void) => {
    reps.forEach((I, rep) =>
      HORIZON.forEach((_, hi) => {
        const res = I.pay(name, hi);
        expect((res.detail as CapitationYearDetail | undefined)?.kind).toBe('capitation');
        f({ I, hi, res, detail: res.detail as CapitationYearDetail, ffs: I.pay('ffs', hi), rep });
      }),
    );
  };
  const metric = (I: Internals, yi: number, f: number, k: number) => I.all[(yi * I.c.region.facilities.length + f) * I.c.layout.nm + k];

  it('has the structure the tests rely on', () => {
    const I = reps[0];
    expect(I.c.region.communities.map((c) => c.id)).toEqual(['a-1', 'b-1']);
    expect(I.c.years).toEqual([2022, 2023, 2024, 2025, 2026]);
    expect(I.c.variants.filter((v) => !v.restatement).length).toBe(1);
    expect(run.replications[0].models.map((m) => m.name)).toEqual(['ffs', ...NAMES]);
  });

  it('the internals reproduce the pipeline: same payments per facility and outlay', () => {
    each('cap-surplus', ({ res, rep, hi }) => {
      const y = run.replications[rep].models[1].years[hi];
      expect(y.fundOutlayFen).toBe(res.fundOutlayFen);
      expect(y.fundToFacilityFen).toEqual(res.fundToFacilityFen);
    });
  });

  it('every model, replication and year: Σ fundToFacilityFen = fundOutlayFen = claims’ fund share + retained − lead’s overspend share', () => {
    for (const name of NAMES) {
      for (const y of modelYears(name)) {
        const s = y.settlement;
        expect(sum(y.fundToFacilityFen), name).toBe(y.fundOutlayFen);
        expect(y.fundOutlayFen, name).toBe(y.claimsFundFen + s.retainedFen - s.leadOverspendFen);
        expect(Number.isSafeInteger(y.fundOutlayFen)).toBe(true);
        for (const v of Object.values(s)) expect(Number.isSafeInteger(v)).toBe(true);
      }
    }
  });

  it('every model, replication and year: surplus and overspend figures add up', () => {
    for (const name of NAMES) {
      for (const y of modelYears(name)) {
        const s = y.settlement;
        expect(s.retainedFen + s.returnedToFundFen, name).toBe(s.surplusFen);
        expect(s.villageRetainedFen + s.townshipRetainedFen + s.leadRetainedFen, name).toBe(s.retainedFen);
        expect(s.leadOverspendFen + s.fundOverspendFen, name).toBe(s.overspendFen);
        expect(s.surplusFen - s.overspendFen, name).toBe(s.budgetFen - s.actualFen);
        for (const k of ['surplusFen', 'overspendFen', 'retainedFen', 'returnedToFundFen', 'villageRetainedFen', 'townshipRetainedFen', 'leadRetainedFen', 'leadOverspendFen', 'fundOverspendFen']) {
          expect(s[k], `${name} ${k}`).toBeGreaterThanOrEqual(0);
        }
        // A pilot covering every county is charged every claim: all patients belong to a pilot community.
        if (name === 'cap-a') {
          expect(s.pilotCommunities).toBe(1);
          expect(s.actualFen).toBeLessThan(y.claimsFundFen);
        } else {
          expect(s.pilotCommunities).toBe(2);
          if (MODELS[name].covers !== 'outpatient') expect(s.actualFen).toBe(y.claimsFundFen);
          else expect(s.actualFen).toBe(y.opFundFen);
        }
        // the tiers' payments add up to the outlay
        expect(y.byTier.village.fundFen + y.byTier.township.fundFen + y.byTier.hospital.fundFen + y.byTier.offSite.fundFen).toBe(y.fundOutlayFen);
      }
    }
  });

  it('forced surplus (trendFactor 1.5): every community-year retains 80% and the fund pays more than fee-for-service', () => {
    each('cap-surplus', ({ detail, res, ffs }) => {
      for (const c of detail.communities) {
        expect(c.surplusFen).toBeGreaterThan(0);
        expect(c.overspendFen).toBe(0);
        expect(Math.abs(c.retainedFen - 0.8 * c.surplusFen)).toBeLessThanOrEqual(0.5);
        expect(c.returnedToFundFen).toBeGreaterThan(0);
        expect(c.leadOverspendFen + c.fundOverspendFen).toBe(0);
      }
      expect(res.fundOutlayFen).toBeGreaterThan(ffs.fundOutlayFen);
    });
  });

  it('forced overspend (trendFactor 0.7): the lead hospital bears 60%, capped at 20,000 yuan per community; the fund the rest', () => {
    let capBinds = 0;
    each('cap-over', ({ I, hi, detail, res, ffs }) => {
      const uncapped = I.pay('cap-over-uncapped', hi).detail as CapitationYearDetail;
      expect(detail.rule.leadCapFen).toBe(yuanToFen(LEAD_CAP_YUAN));
      expect(uncapped.rule.leadCapFen).toBeNull();
      detail.communities.forEach((c, k) => {
        expect(c.overspendFen).toBeGreaterThan(0);
        expect(c.surplusFen + c.retainedFen + c.villageFen + c.townshipFen + c.leadFen).toBe(0);
        expect(c.leadOverspendFen).toBeLessThanOrEqual(yuanToFen(LEAD_CAP_YUAN));
        expect(c.leadOverspendFen).toBe(Math.min(yuanToFen(LEAD_CAP_YUAN), applyRate(c.overspendFen, 0.6)));
        expect(c.fundOverspendFen).toBe(c.overspendFen - c.leadOverspendFen);
        // same claims, same budget: the cap only moves money from the lead hospital to the fund
        const u = uncapped.communities[k];
        expect([u.budgetFen, u.actualFen, u.overspendFen]).toEqual([c.budgetFen, c.actualFen, c.overspendFen]);
        expect(u.leadOverspendFen).toBe(applyRate(u.overspendFen, 0.6));
        expect(u.leadOverspendFen).toBeGreaterThanOrEqual(c.leadOverspendFen);
        if (c.leadOverspendFen < u.leadOverspendFen) capBinds++;
      });
      expect(res.fundOutlayFen).toBeLessThan(ffs.fundOutlayFen);
    });
    expect(capBinds).toBeGreaterThan(0); // the cap branch is exercised
  });

  it('per community: history of the prior years, per-capita amount = mean(restated and trended fund ÷ heads) × trendFactor, budget = per-capita × heads', () => {
    for (const name of NAMES) {
      const o = MODELS[name];
      each(name, ({ I, hi, detail }) => {
        const { region, years, horizonStart } = I.c;
        const yi = horizonStart + hi;
        const pilots = region.communities.filter((c) => !o.pilotCounties || o.pilotCounties.includes(region.counties[c.county].id));
        expect(detail.communities.map((c) => c.community)).toEqual(pilots.map((c) => c.id));
        detail.communities.forEach((cs, k) => {
          const comm = pilots[k];
          const home = (y: number) => sum(comm.villages.map((v) => metric(I, y, v, Metric.homeOpFund) + (o.covers === 'outpatient' ? 0 : metric(I, y, v, Metric.homeIpFund))));
          const heads = (y: number) => sum(comm.villages.map((v) => metric(I, y, v, Metric.patients)));
          const from = o.rebase === 'fixed' ? horizonStart - 3 : yi - 3;
          const histYi = [from, from + 1, from + 2];
          expect(cs.history.map((h) => h.year), name).toEqual(histYi.map((y) => years[y]));
          expect(cs.history.map((h) => ({ year: h.year, fundPaidFen: h.fundPaidFen, enrollees: h.enrollees }))).toEqual(histYi.map((y) => ({ year: years[y], fundPaidFen: home(y), enrollees: heads(y) })));
          // restated under this year's rules (the waiver from 2025-05 only raises the fund's share),
          // then trended (the details of both: test/payment/capitation-budget.test.ts)
          for (const h of cs.history) expect(h.restatedFen).toBeGreaterThanOrEqual(h.fundPaidFen);
          const trend = o.trendFactor ?? 1;
          expect(cs.trendFactor).toBe(trend);
          const exact = (sum(cs.history.map((h) => h.trendedFen / h.enrollees)) / 3) * trend;
          expect(Number.isSafeInteger(cs.perCapitaFen)).toBe(true);
          expect(Math.abs(cs.perCapitaFen - exact)).toBeLessThanOrEqual(0.5 + 1e-6);
          expect(cs.heads).toBe(heads(yi));
          expect(cs.heads).toBeGreaterThan(100);
          expect(cs.budgetFen).toBe(cs.perCapitaFen * cs.heads);
          expect(cs.actualFen).toBe(home(yi));
          // the community's own accounting, both ways round
          expect(cs.fundOutlayFen).toBe(cs.actualFen + cs.retainedFen - cs.leadOverspendFen);
          expect(cs.fundOutlayFen).toBe(cs.budgetFen - cs.returnedToFundFen + cs.fundOverspendFen);
        });
      });
    }
  });

  it('rolling rebase: the second horizon year’s history includes the first horizon year; fixed rebase keeps 2022–2024', () => {
    each('cap-surplus', ({ hi, detail }) => {
      for (const c of detail.communities) expect(c.history.map((h) => h.year)).toEqual(hi === 0 ? [2022, 2023, 2024] : [2023, 2024, 2025]);
    });
    each('cap-fixed', ({ detail }) => {
      for (const c of detail.communities) expect(c.history.map((h) => h.year)).toEqual([2022, 2023, 2024]);
    });
  });

  it('surplus split: village ≥ floor(share × retained), township likewise (Wuhu floors), lead the rest; each tier’s part reaches its facilities by the key', () => {
    let surpluses = 0;
    for (const name of NAMES) {
      const o = MODELS[name];
      const vs = o.villageShare ?? 0.4;
      const ts = o.townshipShare ?? 0.3;
      each(name, ({ I, hi, detail, res, ffs }) => {
        const { region, horizonStart } = I.c;
        const yi = horizonStart + hi;
        expect(detail.rule).toMatchObject({ retentionRate: o.retentionRate ?? 1, villageShare: vs, townshipShare: ts, leadShare: o.leadShare ?? 0.5, withinTierKey: o.withinTierKey ?? 'enrolled' });
        for (const cs of detail.communities) {
          const comm = region.communities.find((c) => c.id === cs.community)!;
          const r = cs.retainedFen;
          if (r > 0) surpluses++;
          expect(cs.villageFen + cs.townshipFen + cs.leadFen).toBe(r);
          expect(cs.villageFen).toBeGreaterThanOrEqual(Math.floor(vs * r));
          expect(cs.villageFen).toBeLessThanOrEqual(Math.floor(vs * r) + 1);
          expect(cs.townshipFen).toBeGreaterThanOrEqual(Math.floor(ts * r));
          expect(cs.townshipFen).toBeLessThanOrEqual(Math.floor(ts * r) + 1);
          if (vs + ts === 1) expect(cs.leadFen).toBe(0);
          // What each facility gets on top of its claims: its tier's part, spread by the key.
          const delta = (f: number) => res.fundToFacilityFen[f] - ffs.fundToFacilityFen[f];
          expect(sum(comm.villages.map(delta))).toBe(cs.villageFen);
          expect(sum(comm.townships.map(delta))).toBe(cs.townshipFen);
          expect(delta(comm.lead)).toBe(cs.leadFen - cs.leadOverspendFen);
          const key = o.withinTierKey ?? 'enrolled';
          const villagesOf = (t: number) => comm.villages.filter((v) => region.facilities[v].township === t);
          const w = (f: number) => {
            const fs = region.facilities[f].tier === 'village' ? [f] : villagesOf(f);
            if (key === 'workload') return metric(I, yi, f, Metric.visits);
            return sum(fs.map((v) => metric(I, yi, v, key === 'signed' ? Metric.signed : Metric.patients)));
          };
          for (const [fs, amount] of [[comm.villages, cs.villageFen], [comm.townships, cs.townshipFen]] as const) {
            const W = sum(fs.map(w));
            for (const f of fs) expect(Math.abs(delta(f) - (amount * w(f)) / W), `${name} ${region.facilities[f].id}`).toBeLessThan(1);
          }
        }
      });
    }
    expect(surpluses).toBeGreaterThan(4); // the surplus branch is exercised, not only the overspend one
  });

  it('a community outside pilotCounties, and every facility outside the pilot communities, is paid exactly fee-for-service', () => {
    each('cap-a', ({ I, res, ffs, detail }) => {
      const { region } = I.c;
      expect(detail.communities.map((c) => c.community)).toEqual(['a-1']);
      let differs = 0;
      region.facilities.forEach((f, i) => {
        const inPilot = f.community >= 0 && region.communities[f.community].id === 'a-1';
        if (!inPilot) expect(res.fundToFacilityFen[i], f.id).toBe(ffs.fundToFacilityFen[i]);
        else if (res.fundToFacilityFen[i] !== ffs.fundToFacilityFen[i]) differs++;
        if (!inPilot) expect(res.otherToFacilityFen![i], f.id).toBe(0);
      });
      expect(differs).toBeGreaterThan(0);
      // the outlay differs from fee-for-service by the pilot community's settlement only
      const c = detail.communities[0];
      expect(res.fundOutlayFen - ffs.fundOutlayFen).toBe(c.retainedFen - c.leadOverspendFen);
    });
  });

  it('public-health matching funds: 94 yuan × 20,000 residents × 10% × score 0.9, paid to primary facilities from outside the fund', () => {
    const expected = applyRate(applyRate(yuanToFen(94) * 20_000, 0.1), 0.9); // 16,920,000 fen
    expect(expected).toBe(16_920_000);
    each('cap-over', ({ I, res, detail }) => {
      const { region } = I.c;
      for (const cs of detail.communities) {
        expect(cs.matchingFen).toBe(18_800_000);
        expect(cs.matchingPaidFen).toBe(expected);
        const comm = region.communities.find((c) => c.id === cs.community)!;
        expect(sum([...comm.villages, ...comm.townships].map((f) => res.otherToFacilityFen![f]))).toBe(expected);
        expect(res.otherToFacilityFen![comm.lead]).toBe(0);
      }
      expect(sum(res.otherToFacilityFen!)).toBe(2 * expected);
    });
    for (const y of modelYears('cap-over')) {
      expect(y.settlement.matchingPaidFen).toBe(2 * expected);
      expect(y.byTier.village.otherFen + y.byTier.township.otherFen).toBe(2 * expected);
      expect(y.byTier.hospital.otherFen + y.byTier.offSite.otherFen).toBe(0);
    }
  });
});
