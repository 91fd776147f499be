/**
 * e^x by a 64-entry table and a degree-5 polynomial: exp(x) = 2^(n/64) · e^r with n = round(64x/ln 2)
 * and |r| ≤ ln 2/128 (Tang, "Table-driven implementation of the exponential function in IEEE
 * floating-point arithmetic", ACM TOMS 15(2), 1989). Maximum relative error against `Math.exp`
 * 4.4e-16 over |x| ≤ 700 (test/rng/exp.test.ts): as accurate as the C library, not an approximation
 * of any distribution. It is plain arithmetic that V8 inlines into the caller, where `Math.exp` is a
 * call that spills every live floating-point register — in the simulation kernel, three to four
 * times the cost.
 *
 * Valid for |x| ≤ 700 (the kernel's log-costs lie within ±50).
 * @example expTable(1) // 2.718281828459045
 */
export function expTable(x: number): number {
  const n = x * INV_LN2_64 + ROUND_SHIFT - ROUND_SHIFT;
  const r = x - n * LN2_64_HI - n * LN2_64_LO;
  const ni = n | 0;
  return EXP_POW2[(ni >> 6) + 1022] * EXP_FRAC[ni & 63] * (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120))))));
}

/** 2^(i/64), i = 0..63. */
export const EXP_FRAC = new Float64Array(64);
for (let i = 0; i < 64; i++) EXP_FRAC[i] = 2 ** (i / 64);
/** 2^(e − 1022) for e = 0..2045. */
export const EXP_POW2 = new Float64Array(2046);
for (let i = 0; i < 2046; i++) EXP_POW2[i] = 2 ** (i - 1022);
export const INV_LN2_64 = 64 / Math.LN2;
// ln 2 split as in fdlibm (ln2_hi has 32 significant bits, so n·HI is exact for |n| < 2^21), over 64.
export const LN2_64_HI = 6.9314718036912381649e-1 / 64;
export const LN2_64_LO = 1.90821492927058770002e-10 / 64;
/** 1.5·2^52: (y + S) − S rounds y to an integer. */
export const ROUND_SHIFT = 6755399441055744;
