/**
 * Standard normals by the ziggurat method of Marsaglia & Tsang, "The ziggurat method for generating
 * random variables", Journal of Statistical Software 5(8), 2000: 128 layers; one 32-bit output of
 * xoshiro128** per normal in the rectangles (98.8% of draws) — bits 0–6 pick the layer, bits 7–31
 * are the signed abscissa j, and z = j · WN[layer] is accepted when |j| < KN[layer]. The wedges
 * and the tail (|z| > ZR, Marsaglia 1964) are sampled by exact rejection. Exact: the output has the
 * normal distribution, not an approximation of it.
 *
 * Hot loops inline the fast path (one xoshiro step, two table loads, a compare) with the stream
 * state in local variables and call {@link zigguratSlow} for the rest; {@link fillZiggurat} fills a
 * buffer.
 */

export const ZN = 128;
/** Start of the tail. */
export const ZR = 3.442619855899;
export const KN = new Int32Array(ZN);
export const WN = new Float64Array(ZN);
export const FN = new Float64Array(ZN);
{
  const m1 = 2 ** 24;
  const vn = 9.91256303526217e-3;
  let dn = ZR;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  KN[0] = Math.floor((dn / q) * m1);
  KN[1] = 0;
  WN[0] = q / m1;
  WN[ZN - 1] = dn / m1;
  FN[0] = 1;
  FN[ZN - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = ZN - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = Math.floor((dn / tn) * m1);
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / m1;
  }
}

const TWO_M32 = 2 ** -32;
const HALF_U = 2 ** -33;

/** One xoshiro128** step on the 4-word state at `st[o..o+3]` (advanced in place); the output as an int32. */
export function nextInt32(st: Int32Array, o: number): number {
  const s1 = st[o + 1];
  const x = Math.imul(s1, 5);
  const r = Math.imul((x << 7) | (x >>> 25), 9);
  const t = s1 << 9;
  const s2 = st[o + 2] ^ st[o];
  const s3 = st[o + 3] ^ s1;
  st[o + 1] = s1 ^ s2;
  st[o] ^= s3;
  st[o + 2] = s2 ^ t;
  st[o + 3] = (s3 << 11) | (s3 >>> 21);
  return r;
}

/**
 * The ziggurat's slow path: `r` is a 32-bit output whose rectangle test failed (|j| ≥ KN[layer]);
 * sample the wedge or the tail, restarting from a fresh output when the wedge rejects, drawing from
 * the stream at `st[o..o+3]`. Returns the normal.
 */
export function zigguratSlow(st: Int32Array, o: number, r: number): number {
  for (;;) {
    const iz = r & 127;
    const j = r >> 7;
    const z = j * WN[iz];
    if (Math.abs(j) < KN[iz]) return z;
    const ua = (nextInt32(st, o) >>> 0) * TWO_M32 + HALF_U;
    if (iz === 0) {
      // The tail: once here, draw until accepted — restarting the ziggurat instead would thin it.
      let xt = -Math.log(ua) / ZR;
      for (;;) {
        const yt = -Math.log((nextInt32(st, o) >>> 0) * TWO_M32 + HALF_U);
        if (yt + yt >= xt * xt) break;
        xt = -Math.log((nextInt32(st, o) >>> 0) * TWO_M32 + HALF_U) / ZR;
      }
      return j > 0 ? ZR + xt : -ZR - xt;
    }
    if (FN[iz] + ua * (FN[iz - 1] - FN[iz]) < Math.exp(-0.5 * z * z)) return z;
    r = nextInt32(st, o);
  }
}

/** Fill `out` with standard normals from xoshiro128** `state` (advanced in place). */
export function fillZiggurat(state: Uint32Array, out: Float64Array): void {
  const st = new Int32Array(state.buffer, state.byteOffset, 4);
  let s0 = st[0];
  let s1 = st[1];
  let s2 = st[2];
  let s3 = st[3];
  for (let i = 0; i < out.length; i++) {
    const x = Math.imul(s1, 5);
    const r = Math.imul((x << 7) | (x >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const j = r >> 7;
    if (Math.abs(j) < KN[r & 127]) out[i] = j * WN[r & 127];
    else {
      st[0] = s0;
      st[1] = s1;
      st[2] = s2;
      st[3] = s3;
      out[i] = zigguratSlow(st, 0, r);
      s0 = st[0];
      s1 = st[1];
      s2 = st[2];
      s3 = st[3];
    }
  }
  st[0] = s0;
  st[1] = s1;
  st[2] = s2;
  st[3] = s3;
}
