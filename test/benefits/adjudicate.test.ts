// F4 (docs/model.md): the patient benefit of one claim, accumulated over the benefit year.
//   fund = min(capLeft, max(0, eligible − deductibleLeft) × (ratio − offSitePp)); signing waives the deductible.
// Worked cases exact, then properties over random claim sequences of one patient-year.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adjudicateClaim,
  deductibleApplied,
  effectiveRatio,
  fundShare,
  newBenefitYear,
  type ClaimInput,
  type ClaimResult,
} from '../../engine/benefits/index.ts';

const claim = (o: Partial<ClaimInput>): ClaimInput => ({ costFen: 80_000, eligibleFen: 80_000, ratio: 0.55, offSiteReduction: 0, waived: false, ...o });

/** Adjudicate a whole year of claims from a fresh benefit year. */
function year(claims: ClaimInput[], deductibleFen: number, capFen: number) {
  const st = newBenefitYear(deductibleFen, capFen);
  const results: ClaimResult[] = claims.map((c) => adjudicateClaim(c, st));
  const sum = (f: (r: ClaimResult) => number) => results.reduce((a, r) => a + f(r), 0);
  return {
    results,
    state: st,
    fund: sum((r) => r.fundFen),
    patient: sum((r) => r.patientFen),
    deductible: sum((r) => r.deductibleFen),
    deductibleMet: sum((r) => r.deductibleMetFen),
    cost: claims.reduce((a, c) => a + c.costFen, 0),
  };
}

describe('F4 worked cases (docs/model.md): cost 800, deductible 200, ratio 55%', () => {
  it('unsigned: fund 330 yuan = 33,000 fen, patient 470 yuan, deductible used up', () => {
    const st = newBenefitYear(20_000, 300_000);
    const r = adjudicateClaim(claim({}), st);
    expect(r).toEqual({ fundFen: 33_000, patientFen: 47_000, deductibleFen: 20_000, deductibleMetFen: 20_000 });
    expect(st).toEqual({ deductibleLeftFen: 0, capLeftFen: 300_000 - 33_000 });
  });

  it('signed (deductible waived): fund 440 yuan = 44,000 fen', () => {
    const st = newBenefitYear(20_000, 300_000);
    const r = adjudicateClaim(claim({ waived: true }), st);
    expect(r).toMatchObject({ fundFen: 44_000, patientFen: 36_000 });
    expect(st.capLeftFen).toBe(300_000 - 44_000);
  });

  it('signed and off-site −10 pp: fund 360 yuan = 36,000 fen', () => {
    const r = adjudicateClaim(claim({ waived: true, offSiteReduction: 0.1 }), newBenefitYear(20_000, 300_000));
    expect(r).toMatchObject({ fundFen: 36_000, patientFen: 44_000 });
  });

  it('the building blocks give the same numbers', () => {
    expect(deductibleApplied(80_000, 20_000, false)).toBe(20_000);
    expect(deductibleApplied(80_000, 20_000, true)).toBe(0);
    expect(deductibleApplied(5_000, 20_000, false)).toBe(5_000);
    expect(effectiveRatio(0.55, 0.1)).toBeCloseTo(0.45, 12);
    expect(effectiveRatio(0.1, 0.2)).toBe(0);
    expect(fundShare(80_000, 20_000, 300_000, 0.55)).toBe(33_000);
    expect(fundShare(80_000, 20_000, 10_000, 0.55)).toBe(10_000);
  });

  it('the deductible carries over between claims and the cap bounds the year', () => {
    // Two claims of 150 yuan: the first eats 150 of the 200 deductible, the second the last 50.
    const y = year([claim({ costFen: 15_000, eligibleFen: 15_000 }), claim({ costFen: 15_000, eligibleFen: 15_000 })], 20_000, 300_000);
    expect(y.results.map((r) => r.fundFen)).toEqual([0, 5_500]);
    expect(y.results.map((r) => r.deductibleFen)).toEqual([15_000, 5_000]);
    // Cap of 400 yuan: 330 on the first claim, only 70 left for the second.
    const capped = year([claim({}), claim({})], 20_000, 40_000);
    expect(capped.results.map((r) => r.fundFen)).toEqual([33_000, 7_000]);
    expect(capped.state.capLeftFen).toBe(0);
  });

  it('rejects eligible cost outside [0, cost]', () => {
    expect(() => adjudicateClaim(claim({ eligibleFen: 80_001 }), newBenefitYear(0, 1))).toThrow(RangeError);
    expect(() => adjudicateClaim(claim({ eligibleFen: -1 }), newBenefitYear(0, 1))).toThrow(RangeError);
  });
});

// ---- properties ------------------------------------------------------------------------------

/** Ratios as a scenario writes them (whole percentage points) and the tier ratios of the default. */
const ratioArb = fc.oneof(fc.constantFrom(0.65, 0.6, 0.55, 0.7), fc.integer({ min: 0, max: 100 }).map((x) => x / 100));
const offSiteArb = fc.constantFrom(0, 0, 0, 0.05, 0.1, 0.15, 0.2);
const claimArb: fc.Arbitrary<ClaimInput> = fc
  .record({
    costFen: fc.oneof(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 3_000_000 })),
    eligibleFrac: fc.oneof(fc.constant(1), fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
    ratio: ratioArb,
    offSiteReduction: offSiteArb,
    waived: fc.boolean(),
  })
  .map(({ costFen, eligibleFrac, ...rest }) => ({ costFen, eligibleFen: Math.floor(costFen * eligibleFrac), ...rest }));
const deductibleArb = fc.oneof(fc.constant(0), fc.constant(20_000), fc.integer({ min: 0, max: 500_000 }));
const capArb = fc.oneof(fc.constant(0), fc.constant(300_000), fc.integer({ min: 0, max: 5_000_000 }));
const yearArb = fc.record({ claims: fc.array(claimArb, { maxLength: 40 }), deductibleFen: deductibleArb, capFen: capArb });
const RUNS = { numRuns: 200 };

describe('F4 properties over one patient-year', () => {
  it('fund + patient = cost for every claim and for the year; all amounts integer fen', () => {
    fc.assert(
      fc.property(yearArb, ({ claims, deductibleFen, capFen }) => {
        const y = year(claims, deductibleFen, capFen);
        y.results.forEach((r, i) => {
          expect(Number.isSafeInteger(r.fundFen) && Number.isSafeInteger(r.patientFen) && Number.isSafeInteger(r.deductibleFen)).toBe(true);
          expect(r.fundFen + r.patientFen).toBe(claims[i].costFen);
        });
        expect(y.fund + y.patient).toBe(y.cost);
      }),
      RUNS,
    );
  });

  it('0 ≤ fund ≤ eligible ≤ cost for every claim', () => {
    fc.assert(
      fc.property(yearArb, ({ claims, deductibleFen, capFen }) => {
        const y = year(claims, deductibleFen, capFen);
        y.results.forEach((r, i) => {
          expect(r.fundFen).toBeGreaterThanOrEqual(0);
          expect(r.fundFen).toBeLessThanOrEqual(claims[i].eligibleFen);
          expect(claims[i].eligibleFen).toBeLessThanOrEqual(claims[i].costFen);
          expect(r.deductibleFen).toBeGreaterThanOrEqual(0);
          expect(r.deductibleFen).toBeLessThanOrEqual(claims[i].eligibleFen);
        });
      }),
      RUNS,
    );
  });

  it("the year's fund total never exceeds the annual cap, nor the deductible consumed the deductible", () => {
    fc.assert(
      fc.property(yearArb, ({ claims, deductibleFen, capFen }) => {
        const y = year(claims, deductibleFen, capFen);
        expect(y.fund).toBeLessThanOrEqual(capFen);
        expect(y.deductible).toBeLessThanOrEqual(y.deductibleMet);
        expect(y.deductibleMet).toBeLessThanOrEqual(deductibleFen);
        expect(y.state.capLeftFen).toBe(capFen - y.fund);
        // Waived claims count towards the deductible without being charged it.
        expect(y.state.deductibleLeftFen).toBe(deductibleFen - y.deductibleMet);
        expect(y.deductibleMet).toBe(Math.min(deductibleFen, claims.reduce((a, c) => a + c.eligibleFen, 0)));
        // Without waivers the deductible is used up as far as eligible cost allows.
        const plain = year(claims.map((c) => ({ ...c, waived: false })), deductibleFen, capFen);
        expect(plain.deductible).toBe(Math.min(deductibleFen, claims.reduce((a, c) => a + c.eligibleFen, 0)));
      }),
      RUNS,
    );
  });

  it('matches F4 in exact arithmetic to within half a fen per claim (unsigned year, before the cap binds)', () => {
    fc.assert(
      fc.property(yearArb, ({ claims, deductibleFen }) => {
        const plain = claims.map((c) => ({ ...c, waived: false }));
        const y = year(plain, deductibleFen, Number.MAX_SAFE_INTEGER);
        let dedLeft = deductibleFen;
        y.results.forEach((r, i) => {
          const c = plain[i];
          const ded = Math.min(dedLeft, c.eligibleFen);
          dedLeft -= ded;
          expect(r.deductibleFen).toBe(ded);
          const exact = (c.eligibleFen - ded) * Math.max(0, c.ratio - c.offSiteReduction);
          expect(Math.abs(r.fundFen - exact)).toBeLessThanOrEqual(0.5 + 1e-6);
        });
      }),
      RUNS,
    );
  });

  it('a waived claim pays the full eligible cost × ratio, bounded only by the cap left', () => {
    fc.assert(
      fc.property(yearArb, ({ claims, deductibleFen, capFen }) => {
        const st = newBenefitYear(deductibleFen, capFen);
        for (const c of claims) {
          const capBefore = st.capLeftFen;
          const r = adjudicateClaim(c, st);
          if (!c.waived) continue;
          const exact = c.eligibleFen * Math.max(0, c.ratio - c.offSiteReduction);
          if (exact <= capBefore - 1) expect(Math.abs(r.fundFen - exact)).toBeLessThanOrEqual(0.5 + 1e-6);
          else expect(r.fundFen).toBeGreaterThanOrEqual(Math.min(capBefore, Math.floor(exact)));
          expect(r.fundFen).toBeLessThanOrEqual(capBefore);
        }
      }),
      RUNS,
    );
  });

  it('waiving the deductible never lowers the fund by more than rounding when the whole year has one ratio', () => {
    // With a single effective ratio the exact fund can only rise when claims are waived; per-claim
    // rounding to the fen may cost at most one fen per claim.
    fc.assert(
      fc.property(yearArb, ratioArb, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), ({ claims, deductibleFen, capFen }, ratio, mask) => {
        const plain = claims.map((c) => ({ ...c, ratio, offSiteReduction: 0, waived: false }));
        const signed = plain.map((c, i) => ({ ...c, waived: mask[i] }));
        const a = year(plain, deductibleFen, capFen);
        const b = year(signed, deductibleFen, capFen);
        expect(b.patient).toBeLessThanOrEqual(a.patient + claims.length);
      }),
      RUNS,
    );
  });

  // Regression (fixed): a waived claim did not consume the deductible, so the deductible moved
  // to a later claim. When that later claim has a higher ratio than the waived one (e.g. an urban
  // signed patient: waived at the township centre at 60%, deductible then taken off a village-clinic
  // claim at 65%), signing made the patient pay more; per-claim rounding could also add a fen.
  it('signing never raises what a patient pays: waiving the deductible on any subset of claims', () => {
    fc.assert(
      fc.property(yearArb, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), ({ claims, deductibleFen, capFen }, mask) => {
        const plain = claims.map((c) => ({ ...c, waived: false }));
        const signed = plain.map((c, i) => ({ ...c, waived: mask[i] }));
        expect(year(signed, deductibleFen, capFen).patient).toBeLessThanOrEqual(year(plain, deductibleFen, capFen).patient);
      }),
      RUNS,
    );
  });

  it('signing never raises what a patient pays: urban signed patient, township claim then village claim', () => {
    // Deductible 200 yuan; a 500-yuan claim at the signed township centre (60%), then 500 yuan at a village clinic (65%).
    const township = claim({ costFen: 50_000, eligibleFen: 50_000, ratio: 0.6 });
    const village = claim({ costFen: 50_000, eligibleFen: 50_000, ratio: 0.65 });
    const unsigned = year([township, village], 20_000, 300_000); // fund 180 + 325 = 505 yuan, patient pays 495
    const signed = year([{ ...township, waived: true }, village], 20_000, 300_000);
    expect(unsigned.patient).toBe(49_500);
    expect(signed.patient).toBeLessThanOrEqual(unsigned.patient);
  });
});
