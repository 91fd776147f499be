// F3 sharing: surplus retention (retention.ts), within-tier distribution (within-tier.ts), overspend sharing
// (overspend.ts). Grouped in one file to keep the suite fast (each file pays ~2 s to import @fast-check/vitest).
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { shareOverspend } from '../../engine/settlement/overspend.ts';
import { splitSurplus } from '../../engine/settlement/retention.ts';

// Wuhu's floors of the retained surplus (芜医保〔2025〕17号 二(四)9), as scenarios state them.
const WUHU_VILLAGE_FLOOR = 0.4;
const WUHU_TOWNSHIP_FLOOR = 0.3;
import { distributeWithinTier } from '../../engine/settlement/within-tier.ts';

const fen = fc.integer({ min: 0, max: 1e12 });
const rate = fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true }));
/** Shares anywhere in the valid region: village, township ∈ [0, 1], village + township ≤ 1. */
const shares = fc
  .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([v, t]) => ({ villageShare: v, townshipShare: t * (1 - v) }));
/** Shares that respect the Wuhu floors (village ≥ 0.4, township ≥ 0.3), boundaries included. */
const wuhuShares = fc.oneof(
  fc.constant({ villageShare: 0.4, townshipShare: 0.3 }),
  fc.constantFrom({ villageShare: 0.7, townshipShare: 0.3 }, { villageShare: 0.4, townshipShare: 0.6 }, { villageShare: 0.5, townshipShare: 0.3 }),
  fc
    .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([a, b]) => {
      const villageShare = 0.4 + 0.3 * a;
      return { villageShare, townshipShare: 0.3 + (0.3 - (villageShare - 0.4)) * b };
    })
    .filter((s) => s.villageShare >= 0.4 && s.townshipShare >= 0.3 && s.villageShare + s.townshipShare <= 1),
);

describe('splitSurplus (F3 surplus retention)', () => {
  it('F3 worked case: S = 1.2M yuan at full retention → village 480k, township 360k, lead 360k', () => {
    expect(splitSurplus(120_000_000, { retentionRate: 1, villageShare: 0.4, townshipShare: 0.3 })).toEqual({
      surplusFen: 120_000_000,
      retainedFen: 120_000_000,
      returnedToFundFen: 0,
      villageFen: 48_000_000,
      townshipFen: 36_000_000,
      leadFen: 36_000_000,
    });
  });

  it('returns the unretained part to the fund', () => {
    const s = splitSurplus(120_000_000, { retentionRate: 0.5, villageShare: 0.4, townshipShare: 0.3 });
    expect(s).toMatchObject({ retainedFen: 60_000_000, returnedToFundFen: 60_000_000, villageFen: 24_000_000, townshipFen: 18_000_000, leadFen: 18_000_000 });
  });

  it('splits odd fen by largest remainder', () => {
    const s = splitSurplus(101, { retentionRate: 1, villageShare: 0.4, townshipShare: 0.3 });
    expect(s.villageFen + s.townshipFen + s.leadFen).toBe(101);
    // exact 40.4 / 30.3 / 30.3: floors 40 / 30 / 30, the odd fen goes to the largest remainder (village)
    expect([s.villageFen, s.townshipFen, s.leadFen]).toEqual([41, 30, 30]);
  });

  it('gives the lead hospital nothing when village + township = 1', () => {
    expect(splitSurplus(1_000, { retentionRate: 1, villageShare: 0.7, townshipShare: 0.3 })).toMatchObject({ villageFen: 700, townshipFen: 300, leadFen: 0 });
  });

  test.prop([fen, rate, shares], { numRuns: 200 })('is exact: retained + returned = surplus, village + township + lead = retained', (surplus, retentionRate, sh) => {
    const s = splitSurplus(surplus, { retentionRate, ...sh });
    expect(s.surplusFen).toBe(surplus);
    expect(s.retainedFen + s.returnedToFundFen).toBe(surplus);
    expect(s.villageFen + s.townshipFen + s.leadFen).toBe(s.retainedFen);
    // retained is retentionRate × surplus rounded to the fen
    expect(Math.abs(s.retainedFen - retentionRate * surplus)).toBeLessThanOrEqual(0.5 + 1e-3);
    for (const v of [s.retainedFen, s.returnedToFundFen, s.villageFen, s.townshipFen, s.leadFen]) {
      expect(Number.isSafeInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
    // each part is within one fen of its exact share of the retained surplus
    const lead = 1 - sh.villageShare - sh.townshipShare;
    expect(Math.abs(s.villageFen - sh.villageShare * s.retainedFen)).toBeLessThan(1 + 1e-3);
    expect(Math.abs(s.townshipFen - sh.townshipShare * s.retainedFen)).toBeLessThan(1 + 1e-3);
    expect(Math.abs(s.leadFen - lead * s.retainedFen)).toBeLessThan(1 + 1e-3);
  });

  test.prop([fen, rate, wuhuShares], { numRuns: 200 })(
    'respects the Wuhu floors to the fen: village ≥ floor(0.4 × retained), township ≥ floor(0.3 × retained)',
    (surplus, retentionRate, sh) => {
      expect(sh.villageShare >= WUHU_VILLAGE_FLOOR && sh.townshipShare >= WUHU_TOWNSHIP_FLOOR).toBe(true);
      const s = splitSurplus(surplus, { retentionRate, ...sh });
      expect(s.villageFen).toBeGreaterThanOrEqual(Math.floor(WUHU_VILLAGE_FLOOR * s.retainedFen));
      expect(s.townshipFen).toBeGreaterThanOrEqual(Math.floor(WUHU_TOWNSHIP_FLOOR * s.retainedFen));
      // and each tier gets at least the floor of its own (larger) share
      expect(s.villageFen).toBeGreaterThanOrEqual(Math.floor(sh.villageShare * s.retainedFen));
      expect(s.townshipFen).toBeGreaterThanOrEqual(Math.floor(sh.townshipShare * s.retainedFen));
    },
  );

  describe('rejects bad input with a RangeError naming the parameter', () => {
    const ok = { retentionRate: 1, villageShare: 0.4, townshipShare: 0.3 };
    it.each([
      ['surplusFen', -1, ok],
      ['surplusFen', 1.5, ok],
      ['retentionRate', 100, { ...ok, retentionRate: 1.2 }],
      ['retentionRate', 100, { ...ok, retentionRate: Number.NaN }],
      ['villageShare', 100, { ...ok, villageShare: -0.1 }],
      ['townshipShare', 100, { ...ok, townshipShare: 1.1 }],
      ['villageShare + townshipShare', 100, { ...ok, villageShare: 0.8, townshipShare: 0.3 }],
    ])('%s', (name, surplus, rule) => {
      expect(() => splitSurplus(surplus, rule)).toThrow(RangeError);
      expect(() => splitSurplus(surplus, rule)).toThrow(name);
    });

    it('does not enforce the Wuhu floors itself', () => {
      expect(() => splitSurplus(100, { retentionRate: 1, villageShare: 0.1, townshipShare: 0.1 })).not.toThrow();
    });
  });
});

describe('distributeWithinTier', () => {
  it('splits by the key given', () => {
    expect(distributeWithinTier(48_000_000, [1200, 800, 0])).toEqual([28_800_000, 19_200_000, 0]);
    expect(distributeWithinTier(10, [1, 1, 1])).toEqual([4, 3, 3]);
  });

  it('splits equally when every weight is 0', () => {
    expect(distributeWithinTier(100, [0, 0, 0])).toEqual([34, 33, 33]);
    expect(distributeWithinTier(0, [0, 0])).toEqual([0, 0]);
  });

  it('handles no facilities with no money, and negative amounts', () => {
    expect(distributeWithinTier(0, [])).toEqual([]);
    expect(distributeWithinTier(-10, [1, 1, 1])).toEqual([-4, -3, -3]);
  });

  test.prop(
    [fc.integer({ min: -1e12, max: 1e12 }), fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 30 })],
    { numRuns: 200 },
  )('parts sum exactly to the amount and are within one fen of their exact share', (amount, weights) => {
    const parts = distributeWithinTier(amount, weights);
    expect(parts).toHaveLength(weights.length);
    expect(parts.reduce((s, p) => s + p, 0)).toBe(amount);
    const sum = weights.reduce((s, w) => s + w, 0);
    parts.forEach((p, i) => {
      expect(Number.isSafeInteger(p)).toBe(true);
      const exact = sum > 0 ? (amount * weights[i]) / sum : amount / weights.length;
      expect(Math.abs(p - exact)).toBeLessThan(1 + 1e-3);
    });
  });

  describe('rejects bad input with a RangeError naming the parameter', () => {
    it.each([
      ['amountFen', 1.5, [1]],
      ['weights', 100, []],
      ['weights[1]', 100, [1, -1]],
      ['weights[0]', 100, [Number.POSITIVE_INFINITY]],
      ['weights[2]', 100, [1, 2, Number.NaN]],
    ])('%s', (name, amount, weights) => {
      expect(() => distributeWithinTier(amount, weights)).toThrow(RangeError);
      expect(() => distributeWithinTier(amount, weights)).toThrow(name);
    });
  });
});

describe('shareOverspend (F3 overspend sharing)', () => {
  it('shares in proportion, optionally capped', () => {
    expect(shareOverspend(1_000_000, { leadShare: 0.3 })).toEqual({ overspendFen: 1_000_000, leadFen: 300_000, fundFen: 700_000 });
    expect(shareOverspend(1_000_000, { leadShare: 0.3, leadCapFen: 200_000 })).toEqual({ overspendFen: 1_000_000, leadFen: 200_000, fundFen: 800_000 });
    expect(shareOverspend(1_000_000, { leadShare: 0.3, leadCapFen: 5_000_000 }).leadFen).toBe(300_000);
    expect(shareOverspend(0, { leadShare: 0.3 })).toEqual({ overspendFen: 0, leadFen: 0, fundFen: 0 });
  });

  test.prop(
    [fc.integer({ min: 0, max: 1e12 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.option(fc.integer({ min: 0, max: 1e12 }), { nil: undefined })],
    { numRuns: 200 },
  )('is exact: lead + fund = overspend, lead ≤ cap, lead = round(leadShare × O) when uncapped', (o, leadShare, cap) => {
    const r = shareOverspend(o, cap === undefined ? { leadShare } : { leadShare, leadCapFen: cap });
    expect(r.leadFen + r.fundFen).toBe(o);
    expect(r.leadFen).toBeGreaterThanOrEqual(0);
    expect(r.fundFen).toBeGreaterThanOrEqual(0);
    if (cap !== undefined) expect(r.leadFen).toBeLessThanOrEqual(cap);
    expect(Math.abs(r.leadFen - Math.min(cap ?? Infinity, leadShare * o))).toBeLessThanOrEqual(0.5 + 1e-3);
  });

  describe('rejects bad input with a RangeError naming the parameter', () => {
    it.each([
      ['overspendFen', -5, { leadShare: 0.3 }],
      ['overspendFen', 0.5, { leadShare: 0.3 }],
      ['leadShare', 100, { leadShare: 1.5 }],
      ['leadShare', 100, { leadShare: Number.NaN }],
      ['leadCapFen', 100, { leadShare: 0.3, leadCapFen: -1 }],
      ['leadCapFen', 100, { leadShare: 0.3, leadCapFen: 2.5 }],
    ])('%s', (name, o, rule) => {
      expect(() => shareOverspend(o, rule)).toThrow(RangeError);
      expect(() => shareOverspend(o, rule)).toThrow(name);
    });
  });
});
