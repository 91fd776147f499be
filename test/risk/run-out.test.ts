/**
 * The headline answer (engine/risk/run-out.ts): the first year with P(balance < 0) ≥ 50%, the median
 * run-out year with its order-statistic 95% CI, P5–P95 — on hand-made ledgers whose answer is known —
 * and the sentences that say it (engine/report/headline.ts).
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import type { ModelYear } from '../../engine/ledger/results.ts';
import { medianRank, runOut, runOutYear } from '../../engine/risk/run-out.ts';
import { budgetGapNote, runOutSentence, wilsonNote } from '../../engine/report/headline.ts';

/** One replication's years from its closing balances (fen), starting in 2025. */
const rep = (balances: number[]): ModelYear[] => balances.map((b, i) => ({ year: 2025 + i, ledger: { closingBalanceFen: b } }) as unknown as ModelYear);

describe('runOut', () => {
  it('first year with P(balance < 0) ≥ 50%, probabilities by year, median, spread', () => {
    // run-out years: 2026, 2027, 2027, 2028, never
    const years = [rep([5, -1, -2, -3]), rep([5, 4, -1, -2]), rep([5, 4, -1, -2]), rep([5, 4, 3, -1]), rep([5, 4, 3, 2])];
    const r = runOut(years);
    expect(r.probabilityByYear.map((p) => p.probability.value)).toEqual([0, 0.2, 0.6, 0.8]);
    expect(r.firstYear).toBe(2027);
    expect(r.medianYear).toBe(2027); // 3 of 5 have run out by 2027
    expect(r.spread).toEqual({ p5: 2026, p95: null }); // the latest 5% never run out within the horizon
    expect(r.ranOut).toBe(4);
    expect(r.medianInterval).toBeNull(); // 5 replications cannot give a 95% CI of a median
    expect(r.lastYear).toBe(2028);
  });

  it('not within the horizon: firstYear and median are null', () => {
    const r = runOut([rep([5, 4]), rep([5, -1]), rep([5, 4])]);
    expect(r.firstYear).toBeNull();
    expect(r.medianYear).toBeNull();
    expect(r.probabilityByYear[1].probability.value).toBeCloseTo(1 / 3);
  });

  it('a balance that recovers: the run-out year is the first negative one', () => {
    expect(runOutYear(rep([5, -1, 3, 4]))).toBe(2026);
    expect(runOutYear(rep([5, 1, 3, 4]))).toBeNull();
  });

  it('median rank: P(B < j) ≤ 2.5% < P(B < j + 1) for B ~ Binomial(n, ½); the normal form beyond 1000 agrees', () => {
    const below = (n: number, j: number) => {
      let p = 0;
      let c = 1;
      for (let k = 0; k < j; k++) {
        p += c * 0.5 ** n;
        c = (c * (n - k)) / (k + 1);
      }
      return p;
    };
    for (const n of [6, 8, 10, 20, 40, 100, 500]) {
      const j = medianRank(n);
      expect(below(n, j)).toBeLessThanOrEqual(0.025);
      expect(below(n, j + 1)).toBeGreaterThan(0.025);
    }
    expect(medianRank(5)).toBe(0);
    expect(medianRank(6)).toBe(1); // [min, max] of 6 covers the median with 96.9%
    expect(Math.abs(medianRank(1001) - medianRank(1000))).toBeLessThanOrEqual(1);
  });

  test.prop([fc.array(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 3, maxLength: 3 }), { minLength: 6, maxLength: 60 })])(
    'invariants: the median lies in its CI, P5 ≤ median ≤ P95 (null = after the horizon), firstYear has P ≥ 50% and no earlier year has',
    (bal) => {
      const r = runOut(bal.map(rep));
      const le = (a: number | null, b: number | null) => (a === null ? b === null : b === null || a <= b);
      expect(le(r.spread.p5, r.medianYear) && le(r.medianYear, r.spread.p95)).toBe(true);
      if (r.medianInterval) expect(le(r.medianInterval.low, r.medianYear) && le(r.medianYear, r.medianInterval.high)).toBe(true);
      for (const p of r.probabilityByYear) {
        if (r.firstYear === null || p.year < r.firstYear) expect(p.probability.value).toBeLessThan(0.5);
        if (p.year === r.firstYear) expect(p.probability.value).toBeGreaterThanOrEqual(0.5);
      }
    },
  );
});

describe('headline sentences', () => {
  const years = Array.from({ length: 8 }, (_, i) => rep([5, 4, 3, 2, 1, -1, -2, -3].map((b) => b - 2 * (i % 2))));
  const r = runOut(years);
  it('say the year, its probability with the Wilson interval, the median and its spread (en, zh)', () => {
    expect(r.firstYear).toBe(2029);
    const en = runOutSentence('ffs', r, undefined, 'en');
    expect(en).toBe('ffs: runs out in 2029, the first year in which P(balance < 0) ≥ 50% (P = 50.0%, Wilson 95% CI 21.5%–78.5%); median run-out year 2029 (95% CI 2029–2030; P5–P95 2029–2030).');
    const zh = runOutSentence('按项目付费', r, undefined, 'zh');
    expect(zh).toContain('2029 年出现缺口');
    expect(zh).toContain('95% Wilson 置信区间');
  });
  it('the budget gap and the Wilson bracket are explained', () => {
    expect(budgetGapNote([{ year: 2025, pOverBudget: 1, pNegative: 0 }, { year: 2026, pOverBudget: 1, pNegative: 0 }, { year: 2027, pOverBudget: 1, pNegative: 1 }], 'en')).toContain('in 2025–2026 while the balance is still positive');
    expect(budgetGapNote([{ year: 2025, pOverBudget: 0.2, pNegative: 0 }], 'en')).toBeUndefined();
    expect(wilsonNote({ value: 1, se: 0, low95: 0.676, high95: 1, count: 8, n: 8 }, 'en')).toContain('8 of 8 replications gives 100.0%');
  });
});
