// Risk metrics (engine/risk/*, F5, F6) by worked examples and properties, and the continuous
// distributions used for parameter uncertainty (engine/rng/distributions.ts).
import { fc, test as fcTest } from '@fast-check/vitest';
import { quantileSorted } from 'simple-statistics';
import { describe as group, expect, it } from 'vitest';
import { readReserve, reserveMonths } from '../../engine/ledger/reserve-months.ts';
import { describe as describeSample } from '../../engine/risk/describe.ts';
import { meanWithSE } from '../../engine/risk/mean-se.ts';
import { pairedDifference, tQuantile975 } from '../../engine/risk/paired-difference.ts';
import { shareEstimate } from '../../engine/risk/probability.ts';
import { quantileCI } from '../../engine/risk/quantile.ts';
import { tailRisk } from '../../engine/risk/var-tvar.ts';
import { meanOf, sample, type Distribution } from '../../engine/rng/distributions.ts';
import { Purpose, Rng } from '../../engine/rng/stream.ts';

const finiteArray = (minLength = 1) => fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }), { minLength, maxLength: 300 });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

group('describe and quantiles', () => {
  it('describe: the documented example and the quantile rule', () => {
    expect(describeSample([1, 2, 3, 4]).p50).toBe(2.5);
    const d = describeSample([5, 1, 4, 2, 3]);
    expect(d).toMatchObject({ n: 5, mean: 3, min: 1, max: 5, p50: 3 });
    expect(d.sd).toBeCloseTo(Math.sqrt(2.5), 12);
  });

  it('quantileCI: the documented example', () => {
    const q = quantileCI([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5);
    expect(q.value).toBe(5.5);
    expect([q.low, q.high]).toEqual([1, 9]);
    expect(q.se).toBeCloseTo((9 - 1) / (2 * 1.96), 12);
  });

  fcTest.prop([finiteArray(), fc.double({ min: 0.5, max: 0.999, noNaN: true })])('quantileCI: low ≤ value ≤ high, value = quantileSorted', (xs, p) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const q = quantileCI(sorted, p);
    expect(q.value).toBe(quantileSorted(sorted, p));
    expect(q.low).toBeLessThanOrEqual(q.value);
    expect(q.value).toBeLessThanOrEqual(q.high);
    expect(q.se).toBeGreaterThanOrEqual(0);
  });

  for (const p of [0.5, 0.9]) {
    it(`quantileCI covers the true ${p}-quantile of Uniform(0, 1) in ≈ 95% of 400 samples of 200`, () => {
      let covered = 0;
      for (let i = 0; i < 400; i++) {
        const r = Rng.of(777, i, p * 10, Purpose.bootstrap);
        const xs = Array.from({ length: 200 }, () => r.uniform()).sort((a, b) => a - b);
        const q = quantileCI(xs, p);
        if (q.low <= p && p <= q.high) covered++;
      }
      expect(covered / 400).toBeGreaterThanOrEqual(0.9);
      expect(covered / 400).toBeLessThanOrEqual(0.99);
    });
  }
});

group('tailRisk: VaR and TVaR (F6)', () => {
  // The installed simple-statistics (7.12) computes quantileSorted by linear interpolation at index
  // (n − 1)·p (numpy / R type 7) — not the rule the comment in engine/risk/describe.ts describes
  // (⌈p·n⌉-th order statistic, or the mean of two neighbours), which was simple-statistics' older one.
  it('worked example: 1…20 at 0.9 and 0.95', () => {
    const xs = Array.from({ length: 20 }, (_, i) => 20 - i); // unsorted on purpose
    const a = tailRisk(xs, 0.9, 1);
    expect(a.var.value).toBeCloseTo(18.1, 12); // index 19 × 0.9 = 17.1: 18 + 0.1 × (19 − 18)
    expect(a.tvar.value).toBe(19.5); // mean of 19, 20
    expect(a.var.tailCount).toBe(2);
    expect(a.var.reliable).toBe(true);
    const b = tailRisk(xs, 0.95, 2);
    expect(b.var.value).toBeCloseTo(19.05, 12);
    expect(b.tvar.value).toBe(20);
    expect(b.tvar.tailCount).toBe(1);
    expect(b.var.reliable).toBe(false); // expected tail 20 × 0.05 = 1 < 2
    expect(Number.isNaN(b.tvar.se)).toBe(true); // one value beyond: no standard error
  });

  fcTest.prop([finiteArray(), fc.constantFrom(0.75, 0.9, 0.95, 0.99, 0.995)])('VaR = quantileSorted; TVaR = mean of values ≥ VaR; TVaR ≥ VaR; counts and intervals', (xs, p) => {
    const r = tailRisk(xs, p, 10);
    const sorted = [...xs].sort((a, b) => a - b);
    const v = quantileSorted(sorted, p);
    const tail = sorted.filter((x) => x >= v);
    expect(r.var.value).toBe(v);
    const scale = Math.max(1, ...tail.map(Math.abs));
    expect(Math.abs(r.tvar.value - mean(tail))).toBeLessThanOrEqual(1e-12 * scale * tail.length);
    expect(r.tvar.value).toBeGreaterThanOrEqual(r.var.value - 1e-9 * Math.max(1, Math.abs(v)));
    expect(r.var.tailCount).toBe(tail.length);
    expect(r.tvar.tailCount).toBe(tail.length);
    expect(r.var.low95).toBeLessThanOrEqual(r.var.value);
    expect(r.var.high95).toBeGreaterThanOrEqual(r.var.value);
    expect(r.var.level).toBe(p);
    const expectedTail = xs.length * (1 - p);
    // (the boundary n·(1−p) = minTail itself is checked exactly below)
    if (Math.abs(expectedTail - 10) > 1e-6) expect(r.var.reliable).toBe(expectedTail >= 10);
    expect(r.var.reliable === (r.var.note === undefined)).toBe(true);
  });

  // n·(1 − p) = minTail exactly at n = minTail × 1/(1 − p): reliable there, not one replication below,
  // and the note of the unreliable estimate names that n as the number of replications needed.
  for (const [p, inv] of [
    [0.8, 5],
    [0.9, 10],
    [0.95, 20],
    [0.99, 100],
    [0.995, 200],
  ] as const) {
    it(`reliability flips exactly at n·(1−p) = minTail, and the note says how many replications are needed (level ${p})`, () => {
      for (const minTail of [1, 2, 10]) {
        const nStar = minTail * inv;
        const at = tailRisk(Array.from({ length: nStar }, (_, i) => i), p, minTail);
        const below = tailRisk(Array.from({ length: nStar - 1 }, (_, i) => i), p, minTail);
        expect(at.var.reliable, `n = ${nStar}, minTail ${minTail}`).toBe(true);
        expect(at.tvar.reliable).toBe(true);
        expect(at.var.note).toBeUndefined();
        expect(below.var.reliable, `n = ${nStar - 1}, minTail ${minTail}`).toBe(false);
        expect(below.tvar.reliable).toBe(false);
        expect(below.var.note).toContain(`(≥ ${nStar} replications)`);
        expect(below.var.note).toContain(`need ≥ ${minTail}`);
      }
    });
  }
});

group('shareEstimate: Wilson interval', () => {
  it('the documented example: 3 of 100', () => {
    const s = shareEstimate(3, 100);
    expect(s.value).toBe(0.03);
    expect(s.se).toBeCloseTo(Math.sqrt(0.03 * 0.97 / 100), 12);
    expect(s.low95).toBeCloseTo(0.01025, 4);
    expect(s.high95).toBeCloseTo(0.08452, 4);
    expect([s.count, s.n]).toEqual([3, 100]);
  });

  fcTest.prop([fc.integer({ min: 1, max: 5000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)))])('contains p and lies within [0, 1]', ([k, n]) => {
    const s = shareEstimate(k, n);
    expect(s.value).toBe(k / n);
    expect(s.low95).toBeGreaterThanOrEqual(0);
    expect(s.high95).toBeLessThanOrEqual(1);
    expect(s.low95).toBeLessThanOrEqual(s.value + 1e-15);
    expect(s.high95).toBeGreaterThanOrEqual(s.value - 1e-15);
  });

  it('0 of n: low exactly 0, high > 0; n of n: high exactly 1, low < 1', () => {
    for (const n of [1, 5, 7, 10, 40, 100, 1000]) {
      const none = shareEstimate(0, n);
      const all = shareEstimate(n, n);
      expect(none.se).toBe(0);
      expect(none.low95, `0 of ${n}`).toBe(0);
      expect(none.high95).toBeGreaterThan(0);
      expect(all.high95, `${n} of ${n}`).toBe(1);
      expect(all.low95).toBeLessThan(1);
    }
  });

  it('rejects n ≤ 0', () => {
    expect(() => shareEstimate(0, 0)).toThrow(RangeError);
  });
});

group('meanWithSE and pairedDifference', () => {
  it('meanWithSE: the documented example; one value has no SE', () => {
    const m = meanWithSE([1, 2, 3, 4]);
    expect(m.value).toBe(2.5);
    expect(m.se).toBeCloseTo(Math.sqrt(5 / 3) / 2, 12);
    expect(Number.isNaN(meanWithSE([7]).se)).toBe(true);
    expect(() => meanWithSE([])).toThrow(RangeError);
  });

  it('tQuantile975: table values for df 1, 10, 30; the large-df expansion near the exact values and → 1.96', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(10)).toBe(2.228);
    expect(tQuantile975(30)).toBe(2.042);
    // exact t(0.975) quantiles (R: qt(0.975, df))
    expect(tQuantile975(31)).toBeCloseTo(2.0395, 3);
    expect(tQuantile975(40)).toBeCloseTo(2.0211, 3);
    expect(tQuantile975(60)).toBeCloseTo(2.0003, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.9799, 3);
    expect(tQuantile975(1e6)).toBeCloseTo(1.96, 3);
    expect(Number.isNaN(tQuantile975(0))).toBe(true);
    // decreasing in df across the table's end
    for (let df = 2; df < 200; df++) expect(tQuantile975(df)).toBeLessThan(tQuantile975(df - 1));
  });

  it('pairedDifference: the documented example and the t interval', () => {
    const d = pairedDifference([10, 12, 11], [9, 10, 10]);
    expect(d.mean).toBeCloseTo(4 / 3, 12);
    const sd = Math.sqrt(((1 - 4 / 3) ** 2 + (2 - 4 / 3) ** 2 + (1 - 4 / 3) ** 2) / 2);
    expect(d.sd).toBeCloseTo(sd, 12);
    expect(d.low95).toBeCloseTo(4 / 3 - 4.303 * (sd / Math.sqrt(3)), 12);
    expect(d.high95).toBeCloseTo(4 / 3 + 4.303 * (sd / Math.sqrt(3)), 12);
    expect(() => pairedDifference([1, 2], [1])).toThrow(RangeError);
  });

  fcTest.prop([fc.array(fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 2, maxLength: 100 })])(
    'pairedDifference: low ≤ mean ≤ high, symmetric, swapping the samples negates it',
    (pairs) => {
      const a = pairs.map((p) => p[0]);
      const b = pairs.map((p) => p[1]);
      const d = pairedDifference(a, b);
      const e = pairedDifference(b, a);
      expect(d.low95).toBeLessThanOrEqual(d.mean + 1e-9);
      expect(d.high95).toBeGreaterThanOrEqual(d.mean - 1e-9);
      expect(d.high95 - d.mean).toBeCloseTo(d.mean - d.low95, 6);
      expect(e.mean).toBeCloseTo(-d.mean, 6);
    },
  );
});

group('reserve months (F5)', () => {
  const t = { severe: 3, low: 6, normal: 9, excessive: 15 };
  it('balance 90,000 with annual outlay 120,000 → 9 months, read as normal', () => {
    expect(reserveMonths(90_000, 120_000)).toBe(9);
    expect(readReserve(9, t)).toBe('normal');
  });

  it('readings at and around the thresholds 3 / 6 / 9 / 15', () => {
    const cases: [number, string][] = [
      [-1, 'severe shortage'],
      [0, 'severe shortage'],
      [2.99, 'severe shortage'],
      [3, 'low'],
      [5.99, 'low'],
      [6, 'normal'],
      [9, 'normal'],
      [9.01, 'above normal'],
      [15, 'above normal'],
      [15.01, 'excessive'],
      [Infinity, 'excessive'],
      [-Infinity, 'severe shortage'],
    ];
    for (const [m, reading] of cases) expect(readReserve(m, t), `${m} months`).toBe(reading);
  });

  it('balances in fen: 2 months, negative balances, no outlay', () => {
    expect(reserveMonths(20_000_00, 120_000_00)).toBe(2);
    expect(reserveMonths(-30_000, 120_000)).toBe(-3);
    expect(reserveMonths(5, 0)).toBe(Infinity);
    expect(reserveMonths(-5, 0)).toBe(-Infinity);
  });
});

group('distributions for parameter uncertainty', () => {
  const n = 20_000;
  const cases: { d: Distribution; mean: number; variance: number; support: [number, number]; open?: boolean }[] = [
    { d: { type: 'normal', mean: 0.03, sd: 0.015 }, mean: 0.03, variance: 0.015 ** 2, support: [-Infinity, Infinity] },
    { d: { type: 'lognormal', median: 1, sigma: 0.2 }, mean: Math.exp(0.02), variance: (Math.exp(0.04) - 1) * Math.exp(0.04), support: [0, Infinity], open: true },
    { d: { type: 'beta', alpha: 41, beta: 59 }, mean: 0.41, variance: (41 * 59) / (100 ** 2 * 101), support: [0, 1], open: true },
    { d: { type: 'beta', alpha: 0.5, beta: 0.7 }, mean: 0.5 / 1.2, variance: (0.5 * 0.7) / (1.2 ** 2 * 2.2), support: [0, 1], open: true },
    { d: { type: 'gamma', shape: 2.5, scale: 3 }, mean: 7.5, variance: 2.5 * 9, support: [0, Infinity], open: true },
    { d: { type: 'gamma', shape: 0.4, scale: 2 }, mean: 0.8, variance: 0.4 * 4, support: [0, Infinity], open: true },
    { d: { type: 'uniform', min: 2, max: 5 }, mean: 3.5, variance: 9 / 12, support: [2, 5] },
    { d: { type: 'triangular', min: 0.03, mode: 0.06, max: 0.09 }, mean: 0.06, variance: (0.03 ** 2 + 0.09 ** 2 + 0.06 ** 2 - 0.03 * 0.09 - 0.03 * 0.06 - 0.09 * 0.06) / 18, support: [0.03, 0.09] },
    { d: { type: 'triangular', min: 1, mode: 1, max: 4 }, mean: 2, variance: (1 + 16 + 1 - 4 - 1 - 4) / 18, support: [1, 4] },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.d)}: meanOf is the analytic mean, the sample mean within 4 SE of it, the sd within 5%, every draw in the support`, () => {
      expect(meanOf(c.d)).toBeCloseTo(c.mean, 12);
      const r = Rng.of(4242, 0, cases.indexOf(c), Purpose.parameters);
      const xs = Array.from({ length: n }, () => sample(c.d, r));
      const m = mean(xs);
      const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1));
      expect(Math.abs(m - c.mean)).toBeLessThanOrEqual(4 * Math.sqrt(c.variance / n));
      expect(Math.abs(sd / Math.sqrt(c.variance) - 1)).toBeLessThan(0.05);
      const [lo, hi] = c.support;
      const outside = xs.filter((x) => !Number.isFinite(x) || (c.open ? !(x > lo && x < hi) : !(x >= lo && x <= hi)));
      expect(outside.slice(0, 3)).toEqual([]);
    });
  }
});
