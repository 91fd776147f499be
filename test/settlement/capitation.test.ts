// F3 capitation: per-capita amount (capitation-rate.ts), budget (capitation-budget.ts), year-end settlement
// (capitation-settlement.ts). One file for the three modules keeps the suite fast: each test file pays
// ~2 s to import @fast-check/vitest.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { capitationBudget } from '../../engine/settlement/capitation-budget.ts';
import { perCapitaAmount } from '../../engine/settlement/capitation-rate.ts';
import { settleCapitation } from '../../engine/settlement/capitation-settlement.ts';

describe('perCapitaAmount (F3 per-capita amount)', () => {
  it('reproduces the F3 worked case: 580 / 600 / 620 yuan per head → 600 yuan = 60,000 fen', () => {
    const history = [
      { fundPaidFen: 58_000 * 20_000, enrollees: 20_000 },
      { fundPaidFen: 60_000 * 20_000, enrollees: 20_000 },
      { fundPaidFen: 62_000 * 20_000, enrollees: 20_000 },
    ];
    expect(perCapitaAmount(history)).toBe(60_000);
  });

  it('averages the yearly per-head amounts, not the pooled ratio', () => {
    // 100 yuan/head over 1,000 heads, 200 yuan/head over 3,000 heads: mean of ratios 150, pooled 175.
    const history = [
      { fundPaidFen: 10_000 * 1_000, enrollees: 1_000 },
      { fundPaidFen: 20_000 * 3_000, enrollees: 3_000 },
    ];
    expect(perCapitaAmount(history)).toBe(15_000);
  });

  it('applies the trend factor and rounds to the fen (half away from zero)', () => {
    const history = [{ fundPaidFen: 60_000 * 20_000, enrollees: 20_000 }];
    expect(perCapitaAmount(history, 1.03)).toBe(61_800);
    expect(perCapitaAmount([{ fundPaidFen: 5, enrollees: 2 }])).toBe(3); // 2.5 → 3
    expect(perCapitaAmount([{ fundPaidFen: 10, enrollees: 3 }])).toBe(3); // 3.33 → 3
  });

  test.prop([fc.array(fc.record({ perHead: fc.integer({ min: 0, max: 500_000 }), enrollees: fc.integer({ min: 1, max: 1_000_000 }) }), { minLength: 1, maxLength: 5 })], {
    numRuns: 200,
  })('is an integer within half a fen of the mean per-head amount, and order does not matter', (years) => {
    const history = years.map((y) => ({ fundPaidFen: y.perHead * y.enrollees, enrollees: y.enrollees }));
    const c = perCapitaAmount(history);
    const mean = years.reduce((s, y) => s + y.perHead, 0) / years.length;
    expect(Number.isSafeInteger(c)).toBe(true);
    expect(Math.abs(c - mean)).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(perCapitaAmount([...history].reverse())).toBe(c);
  });

  describe('rejects bad input with a RangeError naming the parameter', () => {
    it.each([
      ['empty history', [], 1, /history/],
      ['negative payments', [{ fundPaidFen: -1, enrollees: 10 }], 1, /history\[0\]\.fundPaidFen/],
      ['fractional fen', [{ fundPaidFen: 1.5, enrollees: 10 }], 1, /history\[0\]\.fundPaidFen/],
      ['zero enrollees', [{ fundPaidFen: 100, enrollees: 10 }, { fundPaidFen: 100, enrollees: 0 }], 1, /history\[1\]\.enrollees/],
      ['NaN enrollees', [{ fundPaidFen: 100, enrollees: Number.NaN }], 1, /history\[0\]\.enrollees/],
      ['zero trend', [{ fundPaidFen: 100, enrollees: 10 }], 0, /trendFactor/],
      ['infinite trend', [{ fundPaidFen: 100, enrollees: 10 }], Number.POSITIVE_INFINITY, /trendFactor/],
    ])('%s', (_name, history, trend, pattern) => {
      expect(() => perCapitaAmount(history as never, trend)).toThrow(RangeError);
      expect(() => perCapitaAmount(history as never, trend)).toThrow(pattern);
    });
  });
});

const valid = { perCapitaFen: 60_000, heads: 20_000, publicHealthFundsFen: 100_000_000, matchingShare: 0.1, assessmentScore: 0.9 };

describe('capitationBudget (F3 budget + public-health matching)', () => {
  it('F3 worked case: c = 600 yuan, N = 20,000 → B = 12.0M yuan', () => {
    expect(capitationBudget(valid)).toEqual({
      capitationFen: 1_200_000_000,
      matchingFen: 10_000_000,
      matchingPaidFen: 9_000_000,
      matchingUnpaidFen: 1_000_000,
      totalFen: 1_209_000_000,
    });
  });

  test.prop(
    [
      fc.integer({ min: 0, max: 200_000 }),
      fc.integer({ min: 0, max: 5_000_000 }),
      fc.integer({ min: 0, max: 1e12 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    ],
    { numRuns: 200 },
  )('is exact: capitation = c × N, matchingPaid + matchingUnpaid = matching, total = capitation + matchingPaid', (c, n, ph, share, score) => {
    const b = capitationBudget({ perCapitaFen: c, heads: n, publicHealthFundsFen: ph, matchingShare: share, assessmentScore: score });
    expect(b.capitationFen).toBe(c * n);
    expect(b.matchingPaidFen + b.matchingUnpaidFen).toBe(b.matchingFen);
    expect(b.totalFen).toBe(b.capitationFen + b.matchingPaidFen);
    expect(Math.abs(b.matchingFen - share * ph)).toBeLessThanOrEqual(0.5 + 1e-3);
    expect(b.matchingPaidFen).toBeGreaterThanOrEqual(0);
    expect(b.matchingPaidFen).toBeLessThanOrEqual(b.matchingFen);
    for (const v of Object.values(b)) expect(Number.isSafeInteger(v)).toBe(true);
  });

  describe('rejects bad input with a RangeError naming the parameter', () => {
    it.each([
      ['perCapitaFen', { ...valid, perCapitaFen: -1 }],
      ['perCapitaFen', { ...valid, perCapitaFen: 0.5 }],
      ['heads', { ...valid, heads: 1.5 }],
      ['heads', { ...valid, heads: -3 }],
      ['publicHealthFundsFen', { ...valid, publicHealthFundsFen: Number.NaN }],
      ['matchingShare', { ...valid, matchingShare: 1.1 }],
      ['matchingShare', { ...valid, matchingShare: -0.1 }],
      ['assessmentScore', { ...valid, assessmentScore: 2 }],
      ['perCapitaFen × heads', { ...valid, perCapitaFen: 2 ** 40, heads: 2 ** 20 }],
    ])('%s', (name, input) => {
      expect(() => capitationBudget(input)).toThrow(RangeError);
      expect(() => capitationBudget(input)).toThrow(name);
    });
  });
});

const wuhu = { retentionRate: 1, villageShare: 0.4, townshipShare: 0.3 };

describe('settleCapitation (F3)', () => {
  it('F3 worked case end to end: 580/600/620 → c = 600, N = 20,000 → B = 12.0M; A = 10.8M → S = 1.2M → 480k / 360k / 360k', () => {
    const c = perCapitaAmount([580, 600, 620].map((yuan) => ({ fundPaidFen: yuan * 100 * 20_000, enrollees: 20_000 })));
    expect(c).toBe(60_000);
    const { capitationFen } = capitationBudget({ perCapitaFen: c, heads: 20_000, publicHealthFundsFen: 0, matchingShare: 0, assessmentScore: 1 });
    expect(capitationFen).toBe(1_200_000_000);
    const s = settleCapitation({ budgetFen: capitationFen, actualFen: 1_080_000_000, retention: wuhu, overspend: { leadShare: 0.5 } });
    expect(s).toEqual({
      budgetFen: 1_200_000_000,
      actualFen: 1_080_000_000,
      surplusFen: 120_000_000,
      overspendFen: 0,
      retention: {
        surplusFen: 120_000_000,
        retainedFen: 120_000_000,
        returnedToFundFen: 0,
        villageFen: 48_000_000,
        townshipFen: 36_000_000,
        leadFen: 36_000_000,
      },
      overspendShare: null,
      fundOutlayFen: 1_200_000_000,
    });
  });

  it('overspend: the fund pays the budget plus its share', () => {
    const s = settleCapitation({ budgetFen: 1_200_000_000, actualFen: 1_300_000_000, retention: wuhu, overspend: { leadShare: 0.4, leadCapFen: 30_000_000 } });
    expect(s.surplusFen).toBe(0);
    expect(s.retention).toBeNull();
    expect(s.overspendShare).toEqual({ overspendFen: 100_000_000, leadFen: 30_000_000, fundFen: 70_000_000 });
    expect(s.fundOutlayFen).toBe(1_270_000_000);
  });

  it('partial retention: the unretained surplus comes back to the fund', () => {
    const s = settleCapitation({ budgetFen: 1_000, actualFen: 800, retention: { ...wuhu, retentionRate: 0.6 }, overspend: { leadShare: 0.5 } });
    expect(s.retention).toMatchObject({ retainedFen: 120, returnedToFundFen: 80 });
    expect(s.fundOutlayFen).toBe(920);
  });

  it('balanced year: neither surplus nor overspend', () => {
    const s = settleCapitation({ budgetFen: 500, actualFen: 500, retention: wuhu, overspend: { leadShare: 0.5 } });
    expect(s).toMatchObject({ surplusFen: 0, overspendFen: 0, retention: null, overspendShare: null, fundOutlayFen: 500 });
  });

  test.prop(
    [
      fc.integer({ min: 0, max: 1e12 }),
      fc.integer({ min: 0, max: 1e12 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.option(fc.integer({ min: 0, max: 1e11 }), { nil: undefined }),
    ],
    { numRuns: 200 },
  )('identity: fundOutlay = B − returned + fundOverspend = A + retained − leadOverspend, to the fen', (b, a, retentionRate, village, t, leadShare, cap) => {
    const s = settleCapitation({
      budgetFen: b,
      actualFen: a,
      retention: { retentionRate, villageShare: village, townshipShare: t * (1 - village) },
      overspend: cap === undefined ? { leadShare } : { leadShare, leadCapFen: cap },
    });
    expect(s.surplusFen - s.overspendFen).toBe(b - a);
    expect(s.surplusFen === 0 || s.overspendFen === 0).toBe(true);
    expect(s.retention === null).toBe(s.surplusFen === 0);
    expect(s.overspendShare === null).toBe(s.overspendFen === 0);
    const returned = s.retention?.returnedToFundFen ?? 0;
    const retained = s.retention?.retainedFen ?? 0;
    const fundO = s.overspendShare?.fundFen ?? 0;
    const leadO = s.overspendShare?.leadFen ?? 0;
    expect(s.fundOutlayFen).toBe(b - returned + fundO);
    expect(s.fundOutlayFen).toBe(a + retained - leadO);
    if (s.retention) {
      expect(s.retention.retainedFen + s.retention.returnedToFundFen).toBe(s.surplusFen);
      expect(s.retention.villageFen + s.retention.townshipFen + s.retention.leadFen).toBe(s.retention.retainedFen);
    }
    if (s.overspendShare) expect(s.overspendShare.leadFen + s.overspendShare.fundFen).toBe(s.overspendFen);
  });

  describe('rejects bad input with a RangeError naming the parameter', () => {
    const ok = { budgetFen: 100, actualFen: 90, retention: wuhu, overspend: { leadShare: 0.5 } };
    it.each([
      ['budgetFen', { ...ok, budgetFen: -1 }],
      ['actualFen', { ...ok, actualFen: 0.5 }],
      ['retention.villageShare', { ...ok, retention: { ...wuhu, villageShare: 2 } }],
      // validated even when there is no surplus
      ['retention.retentionRate', { ...ok, actualFen: 200, retention: { ...wuhu, retentionRate: -1 } }],
      ['overspend.leadShare', { ...ok, overspend: { leadShare: 1.5 } }],
      ['overspend.leadCapFen', { ...ok, overspend: { leadShare: 0.5, leadCapFen: -2 } }],
      ['retention', { ...ok, retention: null }],
    ])('%s', (name, input) => {
      expect(() => settleCapitation(input as never)).toThrow(RangeError);
      expect(() => settleCapitation(input as never)).toThrow(name);
    });
  });
});
