// Fund risk through the whole pipeline (F5, F6): summary.models[].risk against the replications it
// summarises, the ledger's identities, the outlay by stage of every payment model, the `untilSE`
// stopping rule, and one-way sensitivity runs (engine/run/sensitivity.ts).
import { perCapitaFinancing } from '../../engine/ledger/financing.ts';
import { mean, quantileSorted } from 'simple-statistics';
import { beforeAll, describe, expect, it } from 'vitest';
import { fenToYuan, yuanToFen, applyRate } from '../../engine/money/fen.ts';
import type { LoadedScenario } from '../../engine/params/load.ts';
import { scenarioHash } from '../../engine/params/load.ts';
import { at } from '../../engine/params/param.ts';
import { applyOverrides, horizonOutlaySE, runScenario, type RunResult } from '../../engine/run/run-scenario.ts';
import { readReserve } from '../../engine/ledger/reserve-months.ts';
import { runSensitivity } from '../../engine/run/sensitivity.ts';
import type { ModelYear, ReplicationResult } from '../../engine/ledger/results.ts';
import { summarize } from '../../engine/run/summarize.ts';
import { capitationYaml, ffsYaml, pointsYaml, scenario as paymentScenario } from '../helpers/payment.ts';
import { tinyScenario } from '../helpers/tiny.ts';

const dated = (unit: string, value: unknown) => `{ unit: "${unit}", source: "assumption: test", value: ${JSON.stringify(value)} }`;
const RISK = 'risk: { levels: [0.75, 0.9], minTailReplications: 2 }';
const horizonTotal = (r: ReplicationResult, mi: number) => fenToYuan(r.models[mi].years.reduce((a, y) => a + y.fundOutlayFen, 0));

/**
 * The tiny region with its chronic budget set to the median share of income its replications spend
 * over the horizon and no opening balance: some replications overspend their budget and some run the
 * balance negative, so the probabilities below are neither 0 nor 1 (the outlays themselves do not
 * depend on the budget under fee-for-service, so the pilot run's replications are the main run's).
 */
function riskScenario(replications: number, budgetShare?: number): LoadedScenario {
  const financing = budgetShare === undefined ? '' : `financing:\n  chronicBudgetShare: ${dated('share', budgetShare)}\n  openingBalance: ${dated('yuan', 0)}\n`;
  return tinyScenario({ replications, years: 3, extra: `${RISK}\n${financing}` });
}

describe('summary.models[].risk against the replications (tiny region, 12 replications, 3 years)', () => {
  let loaded: LoadedScenario;
  let run: RunResult;
  beforeAll(async () => {
    const pilot = await runScenario(riskScenario(12), { workers: 1 });
    const shares = pilot.replications.map((r) => {
      const ys = r.models[0].years;
      return ys.reduce((a, y) => a + y.fundOutlayFen, 0) / ys.reduce((a, y) => a + y.ledger.incomeFen, 0);
    });
    const share = Math.round(quantileSorted([...shares].sort((a, b) => a - b), 0.5) * 1e6) / 1e6;
    loaded = riskScenario(12, share);
    run = await runScenario(loaded, { workers: 1 });
  });

  it('is present per model: levels, every horizon year, and the horizon', () => {
    expect(run.summary.models.length).toBeGreaterThan(0);
    for (const m of run.summary.models) {
      expect(m.risk.levels).toEqual([0.75, 0.9]);
      expect(m.risk.byYear.map((y) => y.year)).toEqual([2025, 2026, 2027]);
      for (const y of [...m.risk.byYear.map((b) => b.outlay), m.risk.horizon.outlay]) {
        expect(Object.keys(y.var)).toEqual(['0.75', '0.9']);
        expect(Object.keys(y.tvar)).toEqual(['0.75', '0.9']);
      }
      expect(m.risk.horizon.ruin.n).toBe(12);
    }
  });

  it('the probabilities are not degenerate here (the checks below have something to check)', () => {
    const r = run.summary.models[0].risk;
    expect(r.horizon.ruin.value).toBeGreaterThan(0);
    expect(r.horizon.ruin.value).toBeLessThan(1);
    expect(r.byYear.some((y) => y.probabilityOverBudget.value > 0 && y.probabilityOverBudget.value < 1)).toBe(true);
  });

  it('probability over budget = the share of replications with fund outlay > budget, each year and in any year', () => {
    run.summary.models.forEach((m, mi) => {
      m.risk.byYear.forEach((b, yi) => {
        const over = run.replications.filter((r) => r.models[mi].years[yi].fundOutlayFen > r.models[mi].years[yi].ledger.budgetFen).length;
        expect([b.probabilityOverBudget.count, b.probabilityOverBudget.n]).toEqual([over, 12]);
        expect(b.probabilityOverBudget.value).toBe(over / 12);
        // (to rounding: a share of 0 or 1 exactly is checked in metrics.test.ts)
        expect(b.probabilityOverBudget.low95).toBeLessThanOrEqual(over / 12 + 1e-12);
        expect(b.probabilityOverBudget.high95).toBeGreaterThanOrEqual(over / 12 - 1e-12);
      });
      const any = run.replications.filter((r) => r.models[mi].years.some((y) => y.fundOutlayFen > y.ledger.budgetFen)).length;
      expect(m.risk.horizon.probabilityOverBudgetAnyYear.value).toBe(any / 12);
    });
  });

  it('ruin = the share of replications with a negative closing balance in any year; per year the same as the ledger summary', () => {
    run.summary.models.forEach((m, mi) => {
      const ruined = run.replications.filter((r) => r.models[mi].years.some((y) => y.ledger.closingBalanceFen < 0)).length;
      expect(m.risk.horizon.ruin.count).toBe(ruined);
      expect(m.risk.horizon.ruin.value).toBe(ruined / 12);
      m.risk.byYear.forEach((b, yi) => {
        const neg = run.replications.filter((r) => r.models[mi].years[yi].ledger.closingBalanceFen < 0).length;
        expect(b.probabilityNegativeBalance.value).toBe(neg / 12);
        expect(m.years[yi].ledger.probabilityNegativeBalance).toBe(neg / 12);
        expect(m.risk.horizon.ruin.value).toBeGreaterThanOrEqual(b.probabilityNegativeBalance.value);
      });
    });
  });

  it('VaR and TVaR of each year and of the horizon total are those of the replications’ outlays (yuan)', () => {
    run.summary.models.forEach((m, mi) => {
      const check = (values: number[], risk: (typeof m.risk.horizon)['outlay']) => {
        const sorted = [...values].sort((a, b) => a - b);
        expect(risk.mean.value).toBeCloseTo(mean(values), 6);
        for (const p of [0.75, 0.9]) {
          const v = quantileSorted(sorted, p);
          const tail = sorted.filter((x) => x >= v);
          const key = String(p);
          expect(risk.var[key].value).toBeCloseTo(v, 6);
          expect(risk.tvar[key].value).toBeCloseTo(mean(tail), 6);
          expect(risk.tvar[key].value).toBeGreaterThanOrEqual(risk.var[key].value);
          expect(risk.tvar[key].value).toBeLessThanOrEqual(sorted[sorted.length - 1]);
          expect(risk.var[key].tailCount).toBe(tail.length);
        }
        expect(risk.var['0.75'].reliable).toBe(true); // 12 × 0.25 = 3 ≥ 2
        expect(risk.var['0.9'].reliable).toBe(false); // 12 × 0.1 = 1.2 < 2
        expect(risk.var['0.9'].note).toMatch(/replications/);
      };
      check(run.replications.map((r) => horizonTotal(r, mi)), m.risk.horizon.outlay);
      m.risk.byYear.forEach((b, yi) => check(run.replications.map((r) => fenToYuan(r.models[mi].years[yi].fundOutlayFen)), b.outlay));
      // the horizon total's mean is the sum of the yearly means
      expect(m.risk.horizon.outlay.mean.value).toBeCloseTo(m.risk.byYear.reduce((a, b) => a + b.outlay.mean.value, 0), 4);
    });
  });

  it('reserve months: readings are the shares of replications per reading (F5 thresholds), summing to 1', () => {
    const t = loaded.scenario.ledger.reserveMonths;
    run.summary.models.forEach((m, mi) => {
      m.risk.byYear.forEach((b, yi) => {
        const ys = run.replications.map((r) => r.models[mi].years[yi]);
        const counts: Record<string, number> = {};
        for (const y of ys) {
          expect(y.ledger.reading).toBe(readReserve(y.ledger.reserveMonths, t));
          counts[y.ledger.reading] = (counts[y.ledger.reading] ?? 0) + 1;
        }
        expect(Object.keys(b.reserveMonths.readings).sort()).toEqual(Object.keys(counts).sort());
        for (const [k, c] of Object.entries(counts)) expect(b.reserveMonths.readings[k]).toBeCloseTo(c / 12, 12);
        expect(Object.values(b.reserveMonths.readings).reduce((a, x) => a + x, 0)).toBeCloseTo(1, 12);
        expect(b.reserveMonths.mean.value).toBeCloseTo(mean(ys.map((y) => y.ledger.reserveMonths)), 9);
      });
    });
  });

  it('ledger identities: income = enrollees × (subsidy + individual), budget = income × share, closing = opening + budget − outlay, next opening = closing', () => {
    const s = loaded.scenario;
    for (const r of run.replications) {
      for (const m of r.models) {
        let expectedOpening = yuanToFen(at(s.financing.openingBalance, 2025));
        m.years.forEach((y: ModelYear) => {
          const L = y.ledger;
          expect(L.year).toBe(y.year);
          expect(L.incomeFen).toBe(L.enrollees * yuanToFen(perCapitaFinancing(s, y.year).total));
          expect(L.budgetFen).toBe(applyRate(L.incomeFen, at(s.financing.chronicBudgetShare, y.year)));
          expect(L.outlayFen).toBe(y.fundOutlayFen);
          expect(L.openingBalanceFen).toBe(expectedOpening);
          expect(L.closingBalanceFen).toBe(L.openingBalanceFen + L.budgetFen - L.outlayFen);
          expect(L.reserveMonths).toBeCloseTo(L.closingBalanceFen / (L.outlayFen / 12), 9);
          for (const v of [L.incomeFen, L.budgetFen, L.openingBalanceFen, L.closingBalanceFen]) expect(Number.isSafeInteger(v)).toBe(true);
          expectedOpening = L.closingBalanceFen;
        });
        // enrollees: the insured residents, changing with the enrolment trend
        expect(m.years[0].ledger.enrollees).toBe(Math.round(40_000 * at(s.region.insuredShare, 2025)));
      }
    }
  });
});

describe('outlay by stage sums to the fund outlay: fee-for-service, capitation (surplus and overspend), points', () => {
  let run: RunResult;
  beforeAll(async () => {
    const loaded = paymentScenario(
      [
        ffsYaml(),
        capitationYaml({ name: 'cap-lean', pilotCounties: ['a'], trendFactor: 0.8, retentionRate: 0.6, leadShare: 0.5 }),
        capitationYaml({ name: 'cap-rich', pilotCounties: ['a'], trendFactor: 1.3, retentionRate: 0.6, leadShare: 0.5 }),
        pointsYaml({ covers: 'outpatient' }),
      ],
      { counties: [{ id: 'a', residents: 20_000 }, { id: 'b', residents: 20_000 }], replications: 2, years: 2 },
    );
    run = await runScenario(loaded, { workers: 1 });
  });

  const stagesSum = (y: ModelYear) => {
    return Object.values(y.outlayByStage).reduce((a, v) => a + v, 0);
  };

  it('every model-year: the stages sum to fundOutlayFen exactly, in integer fen', () => {
    for (const r of run.replications) {
      for (const m of r.models) {
        for (const y of m.years) {
          for (const v of Object.values(y.outlayByStage)) expect(Number.isSafeInteger(v)).toBe(true);
          expect(stagesSum(y), `${m.name} ${y.year} rep ${r.replication}`).toBe(y.fundOutlayFen);
        }
      }
    }
  });

  it('each model uses its own stages: claims only for fee-for-service; budgets, surplus returned and overspend for capitation; point settlement for points', () => {
    const all = (name: string) => run.replications.flatMap((r) => r.models.find((m) => m.name === name)!.years);
    for (const y of all('ffs')) expect(y.outlayByStage).toEqual({ claims: y.fundOutlayFen });
    for (const name of ['cap-lean', 'cap-rich']) {
      for (const y of all(name)) {
        expect(y.outlayByStage.capitation).toBe(y.settlement.budgetFen);
        expect(y.outlayByStage.capitation).toBeGreaterThan(0);
        expect(y.outlayByStage.claims).toBeGreaterThan(0); // county b stays fee-for-service
        expect(y.outlayByStage.surplusReturned).toBeLessThanOrEqual(0);
        expect(y.outlayByStage.overspendPaid).toBeGreaterThanOrEqual(0);
        expect(y.outlayByStage.pointSettlement).toBeUndefined();
      }
    }
    // both branches of the capitation settlement are exercised
    expect(all('cap-lean').some((y) => y.outlayByStage.overspendPaid > 0)).toBe(true);
    expect(all('cap-rich').some((y) => y.outlayByStage.surplusReturned < 0)).toBe(true);
    for (const y of all('pts')) {
      expect(y.outlayByStage.pointSettlement).toBe(y.settlement.budgetFen);
      expect(y.outlayByStage.pointSettlement).toBeGreaterThan(0);
      expect(y.outlayByStage.claims).toBeGreaterThan(0); // inpatient claims stay outside an outpatient budget
      expect(y.outlayByStage.capitation ?? 0).toBe(0);
      expect(Object.keys(y.outlayByStage).sort()).toEqual(['claims', 'pointSettlement']);
    }
  });
});

describe('untilSE: doubling the replications until the standard error of the mean horizon outlay is small', () => {
  let loaded: LoadedScenario;
  let plain8: RunResult;
  beforeAll(async () => {
    loaded = tinyScenario({ replications: 2, years: 2, extra: RISK });
    plain8 = await runScenario(loaded, { workers: 1, replications: 8 });
  });

  it('a large target: stops at the initial replications, the same run as without untilSE', async () => {
    const plain2 = await runScenario(loaded, { workers: 1 });
    const r = await runScenario(loaded, { workers: 1, untilSE: 1e15 });
    expect(r.replications.length).toBe(2);
    expect(r.scenario.replications).toBe(2);
    expect(r.replications).toEqual(plain2.replications);
    expect(r.hash).toBe(plain2.hash);
  });

  it('a tiny target with maxReplications 8: 2 → 4 → 8, reproducibly the first 8 replications of a plain run', async () => {
    const totals: number[] = [];
    const r = await runScenario(loaded, { workers: 1, untilSE: 1e-9, maxReplications: 8, onProgress: (_, total) => totals.push(total) });
    expect([...new Set(totals)]).toEqual([2, 4, 8]);
    expect(r.replications.map((x) => x.replication)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(r.replications).toEqual(plain8.replications);
    expect(r.replications.slice(0, 2)).toEqual((await runScenario(loaded, { workers: 1 })).replications);
    expect(r.scenario.replications).toBe(8);
    expect(r.summary.replications).toBe(8);
    expect(JSON.stringify(r.summary)).toBe(JSON.stringify(summarize(plain8.replications, loaded.scenario.risk)));
    expect(r.hash).toBe(scenarioHash(applyOverrides(loaded.scenario, { replications: 8 })));
    const again = await runScenario(loaded, { workers: 1, untilSE: 1e-9, maxReplications: 8 });
    expect(again.replications).toEqual(r.replications);
  });

  it('stops at the first doubling whose standard error is at or below the target', async () => {
    const se = (n: number) => horizonOutlaySE(plain8.replications.slice(0, n));
    const target = se(4) * (1 + 1e-9);
    const expected = se(2) <= target ? 2 : 4;
    const r = await runScenario(loaded, { workers: 1, untilSE: target, maxReplications: 8 });
    expect(r.replications.length).toBe(expected);
    expect(horizonOutlaySE(r.replications)).toBeLessThanOrEqual(target);
  });

  it('rejects a target that is not a positive amount', async () => {
    await expect(runScenario(loaded, { workers: 1, untilSE: 0 })).rejects.toThrow(/until-se/);
  });
});

describe('one-way sensitivity (runSensitivity) on a tiny scenario with uncertain parameters', () => {
  const LOW = 0;
  const HIGH = 4_000_000;
  const text = (params: string[]) => `uncertainty:
  - parameter: financing.openingBalance
    distribution: { type: uniform, min: 1000000, max: 3000000 }
    source: "assumption: test"
  - parameter: financing.perCapita
    apply: factor
    distribution: { type: lognormal, median: 1, sigma: 0.1 }
    source: "assumption: test"
sensitivity:
  output: closingBalance
  year: horizon
  replications: 3
  parameters:
${params.join('\n')}
`;
  const OPENING = `    - { parameter: financing.openingBalance, low: ${LOW}, high: ${HIGH} }`;
  const RATIO = '    - { parameter: benefits.ratio.village, low: 0.5, high: 0.8 }';
  const TREND = '    - { parameter: utilization.costTrend, low: 0, high: 0.06 }';
  let loaded: LoadedScenario;
  let base: RunResult;
  beforeAll(async () => {
    loaded = tinyScenario({ replications: 4, years: 2, extra: text([RATIO, OPENING, TREND]) });
    base = await runScenario(loaded, { workers: 1 });
  });

  /** Last-year closing balance (yuan) less the drawn opening balance, per replication. */
  const netFlow = (r: ReplicationResult) => {
    const ys = r.models[0].years;
    return fenToYuan(ys[ys.length - 1].ledger.closingBalanceFen - ys[0].ledger.openingBalanceFen);
  };

  it('rows sorted by swing; the varied parameter is held at its low/high even though it is uncertain; the base is the mean over the same replications', async () => {
    const res = (await runSensitivity(loaded.scenario, base.replications, runScenario, { workers: 1, replications: 3 }))!;
    expect(res).toBeDefined();
    expect(res.output).toBe('closingBalance');
    expect(res.model).toBe('ffs');
    expect(res.unit).toBe('yuan');
    expect(res.replications).toBe(3);
    expect(res.rows.map((r) => r.parameter).sort()).toEqual(['benefits.ratio.village', 'financing.openingBalance', 'utilization.costTrend']);
    for (const r of res.rows) expect(r.swing).toBeCloseTo(Math.abs(r.outputHigh - r.outputLow), 6);
    for (let i = 1; i < res.rows.length; i++) expect(res.rows[i - 1].swing).toBeGreaterThanOrEqual(res.rows[i].swing);
    // base: the mean of the last year's closing balance over the first 3 base replications
    const first3 = base.replications.slice(0, 3);
    expect(res.base).toBeCloseTo(mean(first3.map((r) => fenToYuan(r.models[0].years.at(-1)!.ledger.closingBalanceFen))), 4);
    // the opening balance, although uncertain, is held at low/high: the closing balance moves by exactly high − low,
    // and the other uncertain parameter (per-capita financing) is drawn exactly as in the base run
    const ob = res.rows.find((r) => r.parameter === 'financing.openingBalance')!;
    expect(ob.outputHigh - ob.outputLow).toBeCloseTo(HIGH - LOW, 2);
    expect(ob.outputLow).toBeCloseTo(LOW + mean(first3.map(netFlow)), 2);
    // a lower village ratio pays less: a higher closing balance
    const ratio = res.rows.find((r) => r.parameter === 'benefits.ratio.village')!;
    expect(ratio.outputLow).toBeGreaterThan(ratio.outputHigh);
  });

  it('the base is on the same replications as the rows even when the base run had fewer', async () => {
    const one = tinyScenario({ replications: 4, years: 2, extra: text([OPENING]) });
    const fewer = base.replications.slice(0, 2);
    const res = (await runSensitivity(one.scenario, fewer, runScenario, { workers: 1, replications: 3 }))!;
    const ob = res.rows[0];
    // the rows ran 3 replications: the low run's mean is LOW + the mean net flow of replications 0–2
    expect(ob.outputLow).toBeCloseTo(LOW + mean(base.replications.slice(0, 3).map(netFlow)), 2);
    // so the base (and the count reported) must be over those 3 replications too
    expect(res.replications).toBe(3);
    expect(res.base).toBeCloseTo(mean(base.replications.slice(0, 3).map((r) => fenToYuan(r.models[0].years.at(-1)!.ledger.closingBalanceFen))), 4);
  });
});
